"""Settings for a process a test starts (worker, beat, schedule runner, server): the
test settings against the test's own SMTP server, with jobs taken from the broker
when REDIS_URL is set and run in-process (the embedded default) when it is not."""

import os

from config.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = not REDIS_URL  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("HUB_TEST_SMTP_PORT", "9"))
EMAIL_HOST_USER = ""
EMAIL_HOST_PASSWORD = ""
EMAIL_USE_TLS = False
EMAIL_USE_SSL = False
EMAIL_TIMEOUT = 10

# Beat's real schedule, each job every HUB_TEST_BEAT_SECONDS instead of its minutes
# or hours, so a test sees beat send every one of them.
if os.environ.get("HUB_TEST_BEAT_SECONDS"):
    CELERY_BEAT_SCHEDULE = {  # noqa: F405
        name: entry | {"schedule": float(os.environ["HUB_TEST_BEAT_SECONDS"])}
        for name, entry in CELERY_BEAT_SCHEDULE.items()  # noqa: F405
    }
