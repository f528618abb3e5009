"""The baseline: a minimal `websockets` broadcast server, one process. Every text
message from a client makes it broadcast one event-shaped message (encoded once) to
every other client."""

import asyncio
import json
import sys

import websockets

PAYLOAD = "x" * 400  # about the size of a card.moved event


async def main(port: int) -> None:
    clients = set()
    seq = 0

    async def handler(ws):
        nonlocal seq
        clients.add(ws)
        try:
            await ws.send(json.dumps({"type": "hello"}))
            async for _message in ws:
                seq += 1
                text = json.dumps(
                    {"type": "event", "seq": seq, "data": PAYLOAD}, separators=(",", ":")
                )
                websockets.broadcast([c for c in clients if c is not ws], text)
        except websockets.ConnectionClosed:
            pass
        finally:
            clients.discard(ws)

    async with websockets.serve(handler, "127.0.0.1", port, max_size=65536, compression=None):
        print("ready", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
