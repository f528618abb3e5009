"""The contract fast send relies on (common.live.fastsend): with each `--ws`
implementation we support, an ASGI send to a socket whose transport is not pushing
back finishes without suspending, and frames arrive complete and in order. Run
against a real uvicorn in this event loop; the pushed-back path is driven with a
send that waits."""

import asyncio
import socket
from contextlib import asynccontextmanager

import pytest
import uvicorn
import websockets

from common.live.fastsend import finish_send, frame_writer, start_send, text_frame

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


@asynccontextmanager
async def serving(app, *, ws: str, deflate: bool = False):
    """A real uvicorn in this event loop; yields its WebSocket URL."""
    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        ws=ws,
        ws_per_message_deflate=deflate,
        lifespan="off",
        log_level="warning",
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(10):
            while not server.started:
                await asyncio.sleep(0.02)
        yield f"ws://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


@pytest.mark.asyncio
@pytest.mark.parametrize("ws", SUPPORTED_WS)
async def test_a_send_to_a_ready_socket_finishes_without_waiting(ws):
    results: list[bool] = []
    async with (
        serving(app_sending_by_hand(results), ws=ws) as url,
        websockets.connect(url) as client,
    ):
        frames = [await client.recv() for _ in range(FRAMES + 1)]

    assert frames == [str(n) for n in range(FRAMES)] + ["done"]
    assert results == [True] * FRAMES


# Short, multi-byte, and the 16- and 64-bit length encodings of a frame.
TEXTS = ["a", "非公開のカード 🙂", "x" * 200, "あ" * 30_000]


def app_writing_frames(report: dict):
    async def app(scope, receive, send):
        await receive()
        await send({"type": "websocket.accept"})
        write = frame_writer(send)
        report["writer"] = write is not None
        if write is not None:
            # Pre-encoded frames and ordinary sends, interleaved, keep their order.
            report["written"] = [write(text_frame(text)) for text in TEXTS]
            await send({"type": "websocket.send", "text": "between"})
            report["written"].append(write(text_frame("after")))
            # A transport pushing back takes no pre-encoded frame (the ASGI send waits).
            send.__self__.pause_writing()
            report["while_pushed_back"] = write(text_frame("not now"))
            send.__self__.resume_writing()
        await send({"type": "websocket.send", "text": "done"})
        await receive()  # websocket.disconnect
        if write is not None:
            report["after_close"] = write(text_frame("too late"))

    return app


@pytest.mark.asyncio
@pytest.mark.parametrize("ws", SUPPORTED_WS)
async def test_one_pre_encoded_frame_is_written_to_a_socket_as_is(ws):
    report: dict = {}
    async with serving(app_writing_frames(report), ws=ws) as url:
        # Browsers offer compression; the server declines it (serve's uvicorn_command).
        async with websockets.connect(url, compression="deflate") as client:
            received = [await client.recv() for _ in range(len(TEXTS) + 3)]
        async with asyncio.timeout(5):
            while "after_close" not in report:
                await asyncio.sleep(0.01)

    assert report["writer"] is True
    assert report["written"] == [True] * (len(TEXTS) + 1)
    assert received == [*TEXTS, "between", "after", "done"]
    assert report["while_pushed_back"] is False
    assert report["after_close"] is False  # nothing written to a closed socket


@pytest.mark.asyncio
async def test_a_socket_that_negotiated_compression_gets_no_pre_encoded_frames():
    report: dict = {}
    server = serving(app_writing_frames(report), ws="websockets-sansio", deflate=True)
    async with server as url, websockets.connect(url, compression="deflate") as client:
        assert await client.recv() == "done"

    assert report["writer"] is False


@pytest.mark.asyncio
async def test_another_server_implementation_gets_no_pre_encoded_frames():
    report: dict = {}
    server = serving(app_writing_frames(report), ws="websockets")
    async with server as url, websockets.connect(url) as client:
        assert await client.recv() == "done"

    assert report["writer"] is False


def test_a_frame_is_encoded_once_per_text():
    text = "card.moved " * 10
    assert text_frame(text) is text_frame(text)
    assert text_frame(text)[:2] == bytes([0x81, len(text.encode())])  # FIN + text, unmasked


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
