"""The demo that `make run` serves runs with DEBUG off: a missing page is the portal's
own Dutch 404 page, an error its Dutch 500 page, and the Utrecht CSS comes through
WhiteNoise without a collectstatic step. Run in a separate process with the demo's
own settings (``portal.settings.dev``) on a fresh SQLite file."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = textwrap.dedent(
    """
    import django
    from django.conf import settings
    django.setup()
    from django.test import Client, RequestFactory
    from django.views.defaults import server_error

    assert settings.DEBUG is False, "the demo must not run with DEBUG on"
    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    css = client.get("/static/css/portal.css")
    assert css.status_code == 200, css.status_code
    assert css["Content-Type"].startswith("text/css")
    assert client.get("/static/utrecht/component-library-css/index.css").status_code == 200
    missing = client.get("/bestaat-niet/")
    html = missing.content.decode()
    assert missing.status_code == 404, missing.status_code
    assert "Deze pagina bestaat niet" in html, html[:500]
    assert '<html lang="nl"' in html and "Traceback" not in html
    error = server_error(RequestFactory(HTTP_HOST="127.0.0.1").get("/"))
    assert error.status_code == 500
    assert "Er ging bij ons iets mis" in error.content.decode()
    print("demo ok")
    """
)


def test_the_demo_shows_dutch_error_pages_and_serves_its_css(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }
    env.pop("DJANGO_DEBUG", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "demo ok" in result.stdout
