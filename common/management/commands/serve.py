"""Serves the hub as `make run` does: the ASGI server and, in the embedded default,
the schedule runner beside it, stopped together.

If either process dies, the other is stopped and the command exits with a message
that names the one that died: a server that keeps answering while no reminder,
digest or retry is sent any more would fail people silently.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

ROOT = Path(settings.BASE_DIR)
POLL_SECONDS = 0.5
STOP_SECONDS = 10


def uvicorn_command(host: str, port: int, *, workers: int | None = None) -> list[str]:
    """The ASGI server as `make run` starts it (tests start the very same command):
    small WebSocket frames only, no lifespan events. Without `workers`, uvicorn runs
    WEB_CONCURRENCY processes (1 when unset).

    No WebSocket compression: live frames are small (well under 1 KB), compressing
    them costs each socket its own zlib state and each send its own work, and an
    uncompressed frame is the same bytes for every socket, so the hub builds it once
    and writes it to all (common.live.fastsend, docs/live.md)."""
    extra = ["--workers", str(workers)] if workers is not None else []
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "config.asgi:application",
        "--host",
        host,
        "--port",
        str(port),
        "--ws",
        "websockets-sansio",
        "--ws-max-size",
        "65536",
        "--ws-per-message-deflate",
        "false",
        "--lifespan",
        "off",
        *extra,
    ]


def _stop(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Command(BaseCommand):
    help = "Serves the hub (uvicorn) with the schedule runner beside it, stopped together."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host, port, **options):
        env = os.environ.copy()
        # Links in emails and pushes name the address this server answers on, unless
        # the deployment says otherwise.
        shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
        env.setdefault("SITE_URL", f"http://{shown_host}:{port}")
        # Several web processes share live pages through Redis only (common.live); the
        # embedded default keeps one.
        workers = None if settings.REDIS_URL else 1
        if workers == 1 and int(os.environ.get("WEB_CONCURRENCY") or 1) > 1:
            self.stdout.write(
                _("REDIS_URL がないため、WEB_CONCURRENCY を無視して1プロセスで動かします。")
            )
        commands = {"uvicorn": uvicorn_command(host, port, workers=workers)}
        if settings.CELERY_TASK_ALWAYS_EAGER:
            commands["run_schedules"] = [sys.executable, "manage.py", "run_schedules"]
        else:
            self.stdout.write(
                _(
                    "REDIS_URL が設定されているため、定期ジョブは celery worker と celery beat で動かしてください。"
                )
            )
        processes: dict[str, subprocess.Popen] = {}
        stopping = False

        def on_signal(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        try:
            for name, argv in commands.items():
                processes[name] = subprocess.Popen(argv, cwd=ROOT, env=env)  # noqa: S603
            self.stdout.write(_("%(url)s で待ち受けています。") % {"url": env["SITE_URL"]})
            while not stopping:
                for name, process in processes.items():
                    code = process.poll()
                    if code is not None:
                        self.stderr.write(
                            _(
                                "%(name)s が終了しました（終了コード %(code)s）。ほかのプロセスも止めます。ログを確認してから、もう一度 make run を実行してください。"
                            )
                            % {"name": name, "code": code}
                        )
                        sys.exit(1)  # the finally below stops the others
                time.sleep(POLL_SECONDS)
        finally:
            _stop(processes)
