"""Real ASGI server processes for tests: uvicorn serving config.asgi against the test
database, bound to 127.0.0.1, stopped when the block ends."""

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import redis
from django.conf import settings
from django.db import connection
from django.test import Client

from common.management.commands.serve import uvicorn_command

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_database_url() -> str:
    """The URL of the database this test run uses, for a server in another process."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{credentials}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


@contextmanager
def asgi_server(*, redis_url: str = "", startup_seconds: float = 30, options=None, env=None):
    """uvicorn as `make run` starts it; `options` changes some of its options (e.g.
    {"--ws": "websockets"}), `env` adds settings."""
    port = free_port()
    env = (
        os.environ
        | {
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": redis_url,
            "PYTHONUNBUFFERED": "1",
        }
        | (env or {})
    )
    command = uvicorn_command("127.0.0.1", port)
    for option, value in (options or {}).items():
        command[command.index(option) + 1] = value
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [*command, "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + startup_seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("server did not start") from None
            time.sleep(0.1)
    with stopped_at_exit(process):
        yield f"http://127.0.0.1:{port}"


def session_cookie(user) -> str:
    """A logged-in session for `user`, stored in the shared database."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_answers() -> bool:
    """CI sets REDIS_URL; locally the machine's Redis is used when it answers."""
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


# --- mail and push peers ----------------------------------------------------------


class SmtpSink:
    """Keeps every message a real SMTP conversation delivered to it; with `delay`,
    takes that long over each (a slower mail server)."""

    def __init__(self, delay: float = 0):
        self.delay = delay
        self.messages: list[bytes] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append(envelope.content)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


@contextmanager
def smtp_server(delay: float = 0):
    """An aiosmtpd server on loopback; yields (port, sink)."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink(delay)
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, sink
    finally:
        controller.stop()


def smtp_settings(settings, port: int) -> None:
    """Points Django's SMTP backend at the loopback server (pytest-django settings)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10


class PushService:
    """A push service on loopback: records each POST and answers with `status`."""

    def __init__(self):
        service = self
        self.received: list[dict] = []
        self.status = 201

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's hook name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                service.received.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                self.send_response(service.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


# --- a broker and a worker of our own -----------------------------------------------


@contextmanager
def redis_server(port: int | None = None, startup_seconds: float = 10):
    """A private redis-server on loopback (nothing kept on disk); yields its URL.
    Starting it again on the same port is how a test brings a broker back."""
    port = port or free_port()
    process = subprocess.Popen(  # noqa: S603 - Debian's redis-server, fixed arguments
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--logfile",
            "",
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + startup_seconds
    while True:
        try:
            if redis.Redis.from_url(url, socket_connect_timeout=0.5).ping():
                break
        except redis.RedisError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("redis-server did not start") from None
            time.sleep(0.05)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def process_env(**extra: str) -> dict[str, str]:
    """The environment of a process a test starts: a clean interpreter on the test
    database with tests.process_settings; `extra` overrides (REDIS_URL="" is the
    embedded default)."""
    inherited = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    return (
        inherited
        | {
            "DJANGO_SETTINGS_MODULE": "tests.process_settings",
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": "",
            "PYTHONUNBUFFERED": "1",
        }
        | extra
    )


def child_pids(pid: int) -> dict[int, str]:
    """{pid: command line} of the processes whose parent is `pid` (from /proc)."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            children[int(entry.name)] = cmdline
    return children


@contextmanager
def stopped_at_exit(process: subprocess.Popen):
    """Terminates the process (then kills it) when the block ends, however it ends."""
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@contextmanager
def celery_worker(
    *,
    broker_url: str,
    smtp_port: int,
    startup_seconds: float = 60,
    hostname: str | None = None,
    env: dict | None = None,
):
    """A real `celery worker` process on the test database, taking jobs from
    `broker_url` and mailing through the test's SMTP server. `hostname` names the
    node (a worker started again under its name); `env` adds settings."""
    env = process_env(REDIS_URL=broker_url, HUB_TEST_SMTP_PORT=str(smtp_port), **(env or {}))
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
            f"--hostname={hostname or f'test-{free_port()}@127.0.0.1'}",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        from config.celery import app

        with celery_broker(broker_url):
            deadline = time.monotonic() + startup_seconds
            while not app.control.ping(timeout=0.5):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("celery worker did not start")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def celery_beat(*, broker_url: str, every_seconds: float = 1, env: dict | None = None):
    """A real `celery beat` sending the real schedule's jobs to `broker_url`, each
    every `every_seconds` (tests.process_settings)."""
    beat = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "--loglevel=WARNING",
            "--max-interval=1",
            f"--schedule={ROOT / 'var' / f'test-beat-{free_port()}'}",
        ],
        cwd=ROOT,
        env=process_env(
            REDIS_URL=broker_url, HUB_TEST_BEAT_SECONDS=str(every_seconds), **(env or {})
        ),
    )
    with stopped_at_exit(beat):
        yield beat


@contextmanager
def celery_broker(url: str):
    """This process publishes jobs to `url` instead of running them eagerly."""
    from config.celery import app

    def forget_connections():
        from kombu import pools

        from common import jobs

        pools.reset()  # kombu's process-wide pools, keyed by broker
        jobs._broker_paused_until = 0.0
        app._pool = None
        app.amqp._producer_pool = None

    saved = (app.conf.broker_url, app.conf.task_always_eager)
    forget_connections()
    app.conf.broker_url, app.conf.task_always_eager = url, False
    try:
        yield app
    finally:
        forget_connections()
        app.conf.broker_url, app.conf.task_always_eager = saved


def wait_until(predicate, *, timeout: float = 30, interval: float = 0.1):
    """Polls until `predicate()` is true; bounded, so a broken test ends."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)
    return True
