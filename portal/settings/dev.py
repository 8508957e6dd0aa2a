"""Development and the demo of `make run`: the embedded default (SQLite, console e-mail,
tasks in the database).

The demo is served the way production serves: DEBUG off, so a missing page or an error
shows the portal's own Dutch 404 and 500 pages, and static files come through
WhiteNoise, straight from the finders (no collectstatic step). Set DJANGO_DEBUG=true for
Django's debug pages while developing.
"""

from .base import *  # noqa: F403
from .base import MIDDLEWARE, env_bool

DEBUG = env_bool("DJANGO_DEBUG", False)

MIDDLEWARE = [
    MIDDLEWARE[0],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Public media (Wagtail uploads) from the local disk; production uses the bucket.
SERVE_MEDIA = True
