"""Runs the periodic jobs of CELERY_BEAT_SCHEDULE in this process.

With Redis configured, `celery -A config beat` sends them to the workers. In the
embedded default there is no broker for beat to send to, so `make run` starts this
beside the web server: it keeps the same schedule and runs each job in-process.
"""

import time

from celery.schedules import schedule as every
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from config.celery import app


def _entries():
    # A fresh process has imported no job module yet: the worker imports them at
    # start (celery's import_modules signal), and this runner must do the same.
    app.loader.import_default_modules()
    entries = {}
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        when = entry["schedule"]
        if isinstance(when, int | float):
            when = every(when)
        when.app = app
        entries[name] = (app.tasks[entry["task"]], when)
    return entries


class Command(BaseCommand):
    help = "Runs the periodic notification jobs in this process (embedded mode)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once and exit")

    def handle(self, *args, once=False, **options):
        entries = _entries()
        if once:
            for name, (task, _when) in entries.items():
                result = task.apply(throw=True).get()
                self.stdout.write(f"{name}: {result}")
            return
        started = timezone.now()
        last_run = dict.fromkeys(entries, started)
        self.stdout.write(f"running {', '.join(entries)}")
        try:
            self._run_forever(entries, last_run)
        except KeyboardInterrupt:  # Ctrl-C in `make run` reaches every process
            return

    def _run_forever(self, entries, last_run):
        while True:
            wait = 60.0
            for name, (task, when) in entries.items():
                due, next_check = when.is_due(last_run[name])
                if due:
                    last_run[name] = timezone.now()
                    try:
                        task.apply(throw=True)
                    except Exception as error:  # one failing job must not stop the others
                        self.stderr.write(f"{name} failed: {error!r}")
                wait = min(wait, max(next_check, 1.0))
            time.sleep(wait)
