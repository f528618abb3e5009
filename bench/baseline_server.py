"""The baseline: a minimal `websockets` broadcast server, one process. Every text
message from a client makes it broadcast one message (encoded once) to every other
client: the same card.moved event the hub sends, with the seq counted here."""

import asyncio
import json
import sys

import websockets


async def main(port: int, sample: dict) -> None:
    clients = set()
    seq = 0

    async def handler(ws):
        nonlocal seq
        clients.add(ws)
        try:
            await ws.send(json.dumps({"type": "hello"}))
            async for _message in ws:
                seq += 1
                text = json.dumps(sample | {"seq": seq}, ensure_ascii=False, separators=(",", ":"))
                websockets.broadcast([c for c in clients if c is not ws], text)
        except websockets.ConnectionClosed:
            pass
        finally:
            clients.discard(ws)

    async with websockets.serve(handler, "127.0.0.1", port, max_size=65536, compression=None):
        print("ready", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), json.loads(sys.argv[2])))
