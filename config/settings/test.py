"""Tests: the same code paths, with a fast hasher and the test outbox."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Each test gets its own cache so allauth's rate limits never leak between tests.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Threads that serve sockets in tests close their connections after each message, so
# the test database can be dropped at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Tests sign pushes with their own VAPID key, apart from the local server's.
WEBPUSH_VAPID_KEY_FILE = str(VAR_DIR / "test_vapid_private.pem")  # noqa: F405
NOTIFICATIONS_SWEEP_GRACE_SECONDS = 0
