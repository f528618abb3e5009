"""Celery application. Without REDIS_URL the tasks run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("hub")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Task modules are called jobs.py so the tasks app never gets a tasks.tasks module.
app.autodiscover_tasks(related_name="jobs")
