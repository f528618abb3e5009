"""Handing a job to the broker by its name, so an app can enqueue another app's job
without importing it (the sender knows the name, the worker knows the function).

The broker must never make a person's action fail or wait: the caller's rows are the
record (an outbox), and a sweep enqueues whatever was not handed over. After one
failed publish, jobs are not offered to the broker for BROKER_PAUSE_SECONDS (a
circuit breaker), so a request pays for at most one refused connection while the
broker is down.
"""

import logging
import time

from celery import current_app

logger = logging.getLogger(__name__)

BROKER_PAUSE_SECONDS = 10
_broker_paused_until = 0.0


def enqueue(name: str, *args) -> bool:
    """Runs the job now in eager mode (the embedded default); otherwise publishes it
    once, without retrying. False when the broker did not take it."""
    global _broker_paused_until
    app = current_app
    if app.conf.task_always_eager:
        if name not in app.tasks:
            # Discovery walks every app's modules: once, not on every enqueue.
            app.loader.import_default_modules()
        app.tasks[name].apply(args=args)
        return True
    if time.monotonic() < _broker_paused_until:
        return False
    try:
        with app.producer_or_acquire() as producer:
            # One connection attempt, not kombu's default of retrying for seconds.
            producer.connection.ensure_connection(max_retries=1, interval_start=0)
            app.send_task(name, args=args, producer=producer, retry=False)
    except Exception:  # any broker or connection error; the caller's rows stay pending
        _broker_paused_until = time.monotonic() + BROKER_PAUSE_SECONDS
        logger.warning("could not enqueue %s; the sweep will pick it up", name, exc_info=True)
        return False
    _broker_paused_until = 0.0
    return True
