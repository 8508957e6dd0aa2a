"""Development: the embedded default (SQLite, console e-mail, tasks in the database)."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
