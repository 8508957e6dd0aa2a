"""The environment of a production process, for tests that start one."""

import os

SECRET_KEY = "smoke-9f2c1e7a4b8d0f3e6a5c2b9d8e7f1a0c3b6d9e2f5a8c1b4d7e0f3a6c9b2e5d8f1a4"


def production_environment(**overrides):
    """os.environ without any DJANGO_ variable, plus a complete production set."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "LOAD_"))
        and key not in {"DATABASE_URL", "REDIS_URL", "PUBLIC_SITE_URL"}
        and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="initiatiefloket.utrecht.example,127.0.0.1",
        PUBLIC_SITE_URL="https://initiatiefloket.utrecht.example",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/initiatiefloket_unused",
        REDIS_URL="redis://127.0.0.1:6379/15",
        DJANGO_S3_BUCKET="initiatiefloket-private",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}
