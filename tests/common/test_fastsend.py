"""The contract fast send relies on (common.live.fastsend): with each `--ws`
implementation we support, an ASGI send to a socket whose transport is not pushing
back finishes without suspending, and frames arrive complete and in order. Run
against a real uvicorn in this event loop; the pushed-back path is driven with a
send that waits."""

import asyncio
import socket

import pytest
import uvicorn
import websockets

from common.live.fastsend import finish_send, start_send

# The implementations fast send supports: what `make run` and docker-compose use
# (common.management.commands.serve). uvicorn's legacy `websockets` one does not meet
# the contract (its send needs a task of its own: driven by hand, the connection
# dies); with it, HUB_LIVE_FAST_SEND=false (tests/integration/test_fast_send.py).
SUPPORTED_WS = ["websockets-sansio"]
FRAMES = 200


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_sending_by_hand(results: list):
    async def app(scope, receive, send):
        assert scope["type"] == "websocket"
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        for number in range(FRAMES):
            pending = start_send(send({"type": "websocket.send", "text": str(number)}))
            results.append(pending is None)
            if pending is not None:
                await finish_send(send, pending)
        await send({"type": "websocket.send", "text": "done"})
        await receive()  # websocket.disconnect

    return app


@pytest.mark.asyncio
@pytest.mark.parametrize("ws", SUPPORTED_WS)
async def test_a_send_to_a_ready_socket_finishes_without_waiting(ws):
    results: list[bool] = []
    port = free_port()
    config = uvicorn.Config(
        app_sending_by_hand(results),
        host="127.0.0.1",
        port=port,
        ws=ws,
        lifespan="off",
        log_level="warning",
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(10):
            while not server.started:
                await asyncio.sleep(0.02)
            async with websockets.connect(f"ws://127.0.0.1:{port}/") as client:
                frames = [await client.recv() for _ in range(FRAMES + 1)]
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, 10)

    assert frames == [str(n) for n in range(FRAMES)] + ["done"]
    assert results == [True] * FRAMES


@pytest.mark.asyncio
async def test_a_send_that_waits_is_finished_in_order():
    written = []
    gate = asyncio.get_running_loop().create_future()

    async def send(text):
        if text == "second":
            await gate
        written.append(text)

    assert start_send(send("first")) is None
    pending_send = send("second")
    pending = start_send(pending_send)
    assert pending is gate and written == ["first"]

    gate.set_result(None)
    await finish_send(pending_send, pending)

    assert written == ["first", "second"]


@pytest.mark.asyncio
async def test_a_send_that_fails_counts_as_finished():
    async def send():
        raise OSError("the client went away")

    assert start_send(send()) is None


@pytest.mark.asyncio
async def test_a_send_that_only_yields_is_finished_too():
    written = []

    async def send():
        await asyncio.sleep(0)
        written.append("x")

    coroutine = send()
    pending = start_send(coroutine)
    assert pending is not None
    await finish_send(coroutine, pending)
    assert written == ["x"]
