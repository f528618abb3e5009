"""Local runs (`make run`): the embedded defaults with debugging on."""

from .base import *  # noqa: F403
from .env import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
