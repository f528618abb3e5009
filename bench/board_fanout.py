"""Benchmark (not a test): how fast a card move reaches every open board socket.

For each N it runs the real stack (uvicorn serving config.asgi, the Redis fan-out,
the database), connects N receiving sockets and one mover from a Node `ws` client,
makes the moves through the socket route a browser uses, and measures from just
before each move to the moment the last receiver has the event. In the same run it
measures a minimal `websockets` broadcast server with the same client as the
baseline.

    .venv/bin/python bench/board_fanout.py                 # N = 100, 500, 1000
    .venv/bin/python bench/board_fanout.py --clients 500 --json
    .venv/bin/python bench/board_fanout.py --before df1a95d   # that revision's server too
    .venv/bin/python bench/board_fanout.py --processes 4 --clients 1000   # 4 × 1000

With --before REV the same sizes are measured, in the same run, against a server
running that revision's code (a git worktree under var/; it needs that revision's
Python packages in this environment). With --processes K, K uvicorn processes share
Redis, N receivers connect to each (K × N in all) and the mover to the first.

Needs Redis (REDIS_URL, default redis://127.0.0.1:6379/0) and Node with the npm dev
packages (npm ci). Uses DATABASE_URL when set, else a SQLite file under var/.
"""

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MOVES = 50


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start") from None
            time.sleep(0.1)


@contextmanager
def _process(argv, env, port, cwd=ROOT):
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
    try:
        _wait_for_port(port, process)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _environment() -> dict:
    env = dict(os.environ)
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    env["DJANGO_DEBUG"] = "false"
    # One key for every checkout measured (--before runs another one, whose var/
    # would hold another generated key): the session cookie must open on both.
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "k" * 40)
    return env


def _prepare(env):
    """Migrates the bench database and makes a board with one card to move."""
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from platforms.models import Role, Status
    from platforms.services import platform_launch, platform_transition
    from tasks import services

    call_command("migrate", verbosity=0)
    from members.models import User

    user, _ = User.objects.get_or_create(
        email="bench@example.jp", defaults={"display_name": "bench"}
    )
    from datetime import timedelta

    from django.utils import timezone

    platform_obj = platform_launch(
        actor=user,
        data={
            "name": "bench",
            "purpose": "bench",
            "why": "bench",
            "who": "bench",
            "where": "bench",
            "area": "bench",
            "deadline": timezone.localdate() + timedelta(days=30),
            "what": "bench",
            "how": "bench",
            "visibility": "private",
        },
    )
    platform_transition(actor=user, platform=platform_obj, to_status=Status.RECRUITING)
    assert platform_obj.memberships.get().role == Role.COORDINATOR
    board = services.board_create(actor=user, platform=platform_obj, name="bench", template="blank")
    columns = list(board.columns.order_by("position").values_list("pk", flat=True))
    card = services.card_create(
        actor=user, board=board, column_id=columns[0], title="移動するカード", description="x" * 200
    )
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    board.refresh_from_db()
    return board, columns, card, cookie


def _run_client(config: dict) -> dict:
    out = subprocess.run(  # noqa: S603
        ["node", str(ROOT / "bench" / "fanout_client.js"), json.dumps(config)],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _server(port: int) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", "config.asgi:application",
        "--host", "127.0.0.1", "--port", str(port), "--ws-max-size", "65536", "--ws-per-message-deflate", "false",
        "--lifespan", "off", "--log-level", "warning", "--no-access-log",
        "--ws", os.environ.get("BENCH_WS", "websockets-sansio"),
    ]  # fmt: skip


@contextmanager
def _servers(count: int, env: dict, code: Path):
    """`count` uvicorn processes running the code under `code`; yields their ports."""
    ports = [_free_port() for _ in range(count)]
    with ExitStack() as stack:
        for port in ports:
            stack.enter_context(_process(_server(port), env, port, cwd=code))
        yield ports


def _worktree(revision: str) -> Path:
    """A checkout of `revision` under var/ (kept for the next run)."""
    sha = subprocess.run(  # noqa: S603
        ["git", "rev-parse", "--short", revision],  # noqa: S607
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    path = ROOT / "var" / f"bench-{sha}"
    if not path.exists():
        subprocess.run(  # noqa: S603
            ["git", "worktree", "add", "--detach", str(path), sha],  # noqa: S607
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
    return path


def measure(n: int, env: dict, *, code: Path = ROOT, processes: int = 1) -> dict:
    board, columns, card, cookie = _prepare(env)
    path = f"/ws/platforms/{board.platform_id}/boards/{board.pk}/"
    with _servers(processes, env, code) as ports:
        ours = _run_client(
            {
                "mode": "hub",
                "urls": [f"ws://127.0.0.1:{port}{path}" for port in ports],
                "origin": f"http://127.0.0.1:{ports[0]}",
                "cookie": cookie,
                "clients": n * processes,
                "moves": MOVES,
                "card": card.pk,
                "columns": [columns[1], columns[0]],
                "start_seq": board.seq,
                "timeout_ms": 5000,
                "pause_ms": 50,
            }
        )
    from tasks.events import event_message
    from tasks.models import BoardEvent

    # The baseline broadcasts the very event the hub sent last, so both servers send
    # the same bytes to the same client.
    sample = event_message(BoardEvent.objects.filter(board=board).order_by("-seq").first())
    port = _free_port()
    baseline_server = [
        sys.executable, str(ROOT / "bench" / "baseline_server.py"), str(port),
        json.dumps(sample, ensure_ascii=False),
    ]  # fmt: skip
    with _process(baseline_server, env, port):
        baseline = _run_client(
            {
                "mode": "baseline",
                "url": f"ws://127.0.0.1:{port}/",
                "origin": f"http://127.0.0.1:{port}",
                "clients": n * processes,
                "moves": MOVES,
                "start_seq": 0,
                "timeout_ms": 5000,
                "pause_ms": 50,
            }
        )
    print(f"  N={n}×{processes} ({code.name}): ours {ours}, baseline {baseline}", file=sys.stderr)
    return {
        "code": "this" if code == ROOT else code.name.removeprefix("bench-"),
        "processes": processes,
        "clients": n * processes,
        "p50_ms": round(ours["p50_ms"], 2),
        "p99_ms": round(ours["p99_ms"], 2),
        "spread_p50_ms": round(ours["spread_p50_ms"], 2),
        "moves_per_s": round(ours["moves_per_s"], 1),
        "baseline_p50_ms": round(baseline["p50_ms"], 2),
        "baseline_p99_ms": round(baseline["p99_ms"], 2),
        # Like for like: our whole move-to-last-receiver latency over the baseline's
        # broadcast latency (both p50). It includes the move itself (ORM, Redis).
        "ratio_p50": round(ours["p50_ms"] / baseline["p50_ms"], 2),
        # Our first→last spread over the baseline's whole latency: the fan-out alone.
        "ratio_spread": round(ours["spread_p50_ms"] / baseline["p50_ms"], 2),
        "lost": ours["lost"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, action="append", help="N (repeatable)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--before", metavar="REV", help="also measure this revision's server")
    parser.add_argument("--processes", type=int, default=1, help="uvicorn processes (Redis)")
    args = parser.parse_args()
    env = _environment()
    codes = [ROOT] + ([_worktree(args.before)] if args.before else [])
    results = [
        measure(n, env, code=code, processes=args.processes)
        for n in (args.clients or [100, 500, 1000])
        for code in codes
    ]
    if args.json:
        print(json.dumps({"results": results}))
        return
    print(f"board fan-out, {MOVES} moves per size — {platform.node()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip
    header = ["code", "processes", "clients", "p50_ms", "p99_ms", "spread_p50_ms", "moves_per_s",
              "baseline_p50_ms", "baseline_p99_ms", "ratio_p50", "ratio_spread",
              "lost"]  # fmt: skip
    print(" | ".join(f"{h:>15}" for h in header))
    for row in results:
        print(" | ".join(f"{row[h]:>15}" for h in header))


if __name__ == "__main__":
    main()
