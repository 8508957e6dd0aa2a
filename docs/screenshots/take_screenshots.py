"""Take the README screenshots with Debian's Chromium against the seeded demo.

Run the demo first (``make run``, or ``manage.py seed_demo`` + ``runserver``), then,
with the same database settings::

    .venv/bin/python docs/screenshots/take_screenshots.py --base-url http://127.0.0.1:8000

The form screenshots need a logged-in resident: the script makes a session for the
demo applicant (aanvrager@initiatiefloket.example) directly in the database, instead
of reading a login link from the console. It writes PNGs next to itself.
"""

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--force-color-profile=srgb",
]
DEMO_APPLICANT = "aanvrager@initiatiefloket.example"


def _session_cookie(base_url):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from subsidies.models import Application
    from subsidies.workflow import Status

    user = get_user_model().objects.get(email=DEMO_APPLICANT)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    draft = (
        Application.objects.filter(applicant__members=user, status=Status.DRAFT)
        .order_by("pk")
        .first()
    )
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": session.session_key,
        "url": base_url,
    }
    return cookie, draft.reference


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    base = parser.parse_args().base_url.rstrip("/")
    cookie, reference = _session_cookie(base)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport={"width": 1280, "height": 1100},
            device_scale_factor=1,
            locale="nl-NL",
        )
        page = context.new_page()
        page.goto(f"{base}/")
        page.screenshot(path=HERE / "home.png")
        page.goto(f"{base}/initiatievenfonds/")
        page.screenshot(path=HERE / "scheme-page.png")

        context.add_cookies([cookie])
        page.set_viewport_size({"width": 1280, "height": 1250})
        page.goto(f"{base}/mijn-aanvragen/{reference}/invullen/initiatief/")
        page.screenshot(path=HERE / "form-step.png")

        page.goto(f"{base}/mijn-aanvragen/{reference}/invullen/begroting/")
        page.locator("input[name='lines-1-amount']").fill("twintig")
        page.get_by_role("button", name="Opslaan en verder").click()
        page.locator("#error-summary-title").wait_for()
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=HERE / "form-step-error.png")
        browser.close()


if __name__ == "__main__":
    main()
