"""Benchmark (not a test): a status change on a platform of N members.

1. write: the status change through platforms.services, with every notification and
   delivery it writes (bulk inserts; the query count does not grow with N on
   PostgreSQL — SQLite splits a bulk insert into batches of its 999 parameters);
2. deliver: one worker (notifications.jobs.deliveries_send, in this process, batch
   by batch as the on-commit jobs hand them out) mailing N emails to a local SMTP
   sink in another process;
3. baseline, in the same run: Django's SMTP backend sending the same N messages over
   one connection from one process (send_messages), with nothing else around it.

Status changes go to the daily digest by default; here every member has chosen
immediate email so that each one gets a message.

    .venv/bin/python bench/notify_fanout.py
    .venv/bin/python bench/notify_fanout.py --members 1000 --json

Uses DATABASE_URL when set, else a fresh SQLite file under var/.
"""

import argparse
import json
import os
import platform as host
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _setup():
    sqlite = ROOT / "var" / "bench_notify.sqlite3"
    if "DATABASE_URL" not in os.environ:
        for path in sqlite.parent.glob(sqlite.name + "*"):
            path.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite}"
    os.environ.pop("REDIS_URL", None)  # jobs run in this process, as one worker would
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class SmtpSink:
    def __init__(self):
        self.port = _free_port()
        self.counts_file = Path(tempfile.mkstemp(suffix=".json")[1])

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603 - our own script
            [
                sys.executable,
                str(ROOT / "bench" / "smtp_sink.py"),
                str(self.port),
                str(self.counts_file),
            ]
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("SMTP sink did not start") from None
                time.sleep(0.05)

    def counts(self) -> dict:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=20)
        return json.loads(self.counts_file.read_text())

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.kill()
        self.counts_file.unlink(missing_ok=True)


def _smtp_settings(port: int) -> None:
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 30


def measure(members: int) -> dict:
    from datetime import timedelta

    from django.core import mail
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    import notifications.services as notification_services
    from members.models import User
    from notifications import jobs, preferences, sending
    from notifications.models import Delivery, Preference
    from platforms import notices as platform_notices
    from platforms.models import Membership, Platform, Role, Status
    from platforms.services import platform_transition

    stamp = time.time_ns()
    coordinator = User.objects.create_user(email=f"c{stamp}@bench.example.jp", password=None)
    platform = Platform.objects.create(
        name=f"ベンチ {stamp}", purpose="計測", status=Status.RECRUITING, area="市内",
        deadline=timezone.localdate() + timedelta(days=60), what="計測", why="計測",
        where="市内", who="全員", how="計測",
    )  # fmt: skip
    Membership.objects.create(platform=platform, user=coordinator, role=Role.COORDINATOR)
    people = User.objects.bulk_create(
        [
            User(email=f"m{stamp}-{i}@bench.example.jp", display_name=f"会員{i}")
            for i in range(members)
        ]
    )
    Membership.objects.bulk_create(Membership(platform=platform, user=p) for p in people)
    Preference.objects.bulk_create(
        Preference(
            user=p,
            kind=platform_notices.STATUS_CHANGED.key,
            email=preferences.IMMEDIATE,
            push=False,
        )
        for p in people
    )

    handed_out = []
    real_enqueue = notification_services.enqueue
    notification_services.enqueue = lambda name, *args: handed_out.append((name, args))
    try:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            with transaction.atomic():
                platform_transition(actor=coordinator, platform=platform, to_status=Status.ACTIVE)
            write_ms = (time.perf_counter() - started) * 1000
    finally:
        notification_services.enqueue = real_enqueue
    batches = [args[0] for name, args in handed_out if name == notification_services.SEND_JOB]

    with SmtpSink() as sink:
        _smtp_settings(sink.port)
        started = time.perf_counter()
        for batch in batches:
            jobs.deliveries_send(batch)
        deliver_ms = (time.perf_counter() - started) * 1000
        # Both jobs again, as after a redelivery: nothing may go out twice.
        for batch in batches:
            jobs.deliveries_send(batch)
        jobs.sweep(now=timezone.now() + timedelta(hours=1))
        ours = sink.counts()
    sent = Delivery.objects.filter(notification__platform=platform, status="sent")

    # The baseline: the same messages, rendered beforehand, sent in one connection.
    deliveries = list(
        Delivery.objects.filter(notification__platform=platform)
        .select_related("notification__platform", "recipient")
        .order_by("pk")
    )
    messages = [sending.notification_email(d, "ja") for d in deliveries]
    with SmtpSink() as sink:
        _smtp_settings(sink.port)
        started = time.perf_counter()
        with mail.get_connection() as smtp:
            smtp.send_messages(messages)
        baseline_send_ms = (time.perf_counter() - started) * 1000
        sink.counts()

    return {
        "members": members,
        "write_queries": len(queries),
        "write_ms": round(write_ms, 1),
        "deliver_ms": round(deliver_ms, 1),
        "baseline_send_ms": round(baseline_send_ms, 1),
        "delivered": sum(ours.values()),
        "duplicates": sum(n - 1 for n in ours.values() if n > 1),
        "sent_rows": sent.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, action="append", help="N (repeatable)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    _setup()
    sizes = args.members or [100, 1000]
    results = [measure(n) for n in sizes]
    if args.json:
        for row in results:
            row.pop("sent_rows")
        print(json.dumps(results[0] if len(results) == 1 else {"results": results}))
        return
    from django.db import connection

    print(f"notification fan-out — {host.node()}, {os.cpu_count()} cores, "
          f"Python {host.python_version()}, {connection.vendor}")  # fmt: skip
    header = ["members", "write_queries", "write_ms", "write_ms_per_member", "deliver_ms",
              "deliver_ms_per_email", "baseline_send_ms", "baseline_ms_per_email", "ratio",
              "delivered", "duplicates"]  # fmt: skip
    print(" | ".join(f"{h:>12}" for h in header))
    for row in results:
        n = row["members"]
        row |= {
            "write_ms_per_member": round(row["write_ms"] / n, 3),
            "deliver_ms_per_email": round(row["deliver_ms"] / n, 3),
            "baseline_ms_per_email": round(row["baseline_send_ms"] / n, 3),
            "ratio": round(row["deliver_ms"] / row["baseline_send_ms"], 2),
        }
        print(" | ".join(f"{row[h]!s:>12}" for h in header))


if __name__ == "__main__":
    main()
