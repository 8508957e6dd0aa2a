"""`DEMO_OIDC=1 make run`: scripts/run_demo.sh starts the test OpenID provider, prints
its test accounts, and sets the environment that points DigiD, eHerkenning and the
staff sign-on at it. The script's provider part runs here for the live server; the
settings are read from its environment the way ``make run`` reads them."""

import json
import os
import queue
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests

from tests.services.oidc_provider import DIGID_MIDDEN

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]

# The provider part of the script, as ``main`` runs it, then the environment it left.
PROVIDER_PART = """
source scripts/run_demo.sh
host="$DEMO_HOST"
port="$DEMO_PORT"
trap stop_children EXIT INT TERM
start_oidc_provider
echo "--- environment"
env | grep -E "^OIDC_(DIGID|EHERKENNING|STAFF)_" | sort
echo "--- end"
wait
"""

READ_SETTINGS = (
    "import json; from django.conf import settings; "
    "print(json.dumps(settings.OIDC_PROVIDERS))"
)


def read_until_end(process, timeout=25):
    lines = queue.Queue()

    def read():
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
            if line.startswith("--- end"):
                return

    threading.Thread(target=read, daemon=True).start()
    output = []
    while not output or output[-1] != "--- end":
        output.append(lines.get(timeout=timeout))
    return output


@pytest.fixture
def demo_provider(live_server):
    """The script's provider part for the live server; yields (printed lines, env)."""
    url = urlparse(live_server.url)
    env = {
        key: value for key, value in os.environ.items() if not key.startswith("OIDC_")
    }
    env.update(DEMO_HOST=url.hostname, DEMO_PORT=str(url.port), OIDC_PORT="0")
    process = subprocess.Popen(
        ["bash", "-c", PROVIDER_PART],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        output = read_until_end(process)
        split = output.index("--- environment")
        exported = dict(line.split("=", 1) for line in output[split + 1 : -1])
        yield output[:split], exported, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def options(page):
    return re.findall(r'<option value="([^"]+)"', page)


def test_demo_oidc_offers_digid_and_eherkenning_through_the_test_provider(
    demo_provider, live_server, settings
):
    """With the script's environment the login page offers DigiD and eHerkenning,
    the DigiD button leads to the provider, whose accounts the script printed, and a
    resident logs in there; the provider stops with the script."""
    printed, exported, process = demo_provider
    issuer = exported["OIDC_DIGID_ISSUER"]
    assert exported == {
        f"OIDC_{prefix}_{key}": value
        for prefix, name in (
            ("DIGID", "digid"),
            ("EHERKENNING", "eherkenning"),
            ("STAFF", "medewerker"),
        )
        for key, value in (
            ("ISSUER", issuer),
            ("CLIENT_ID", f"initiatiefloket-{name}"),
            ("CLIENT_SECRET", f"test-secret-{name}"),
        )
    }
    # What the demo's settings make of that environment (a process of its own).
    result = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("OIDC_")},
            **exported,
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    settings.OIDC_PROVIDERS = json.loads(result.stdout)
    settings.LOGIN_EMAIL_LINK = True

    page = requests.get(f"{live_server.url}/inloggen/", timeout=10).text
    assert 'href="/inloggen/digid/">Inloggen met DigiD</a>' in page
    assert 'href="/inloggen/eherkenning/">Inloggen met eHerkenning</a>' in page
    assert 'name="email"' in page

    text = "\n".join(printed)
    for provider in ("digid", "eherkenning", "medewerker"):
        session = requests.Session()
        login = session.get(f"{live_server.url}/inloggen/{provider}/", timeout=10)
        assert login.url.startswith(f"{issuer}/interaction/")
        assert "Testaccount" in login.text
        for account in options(login.text):
            assert account in text, f"{account} is not printed by run_demo.sh"

    session = requests.Session()
    login = session.get(f"{live_server.url}/inloggen/digid/", timeout=10)
    action = re.search(r'action="([^"]+)"', login.text).group(1)
    done = session.post(
        issuer + action, data={"account": DIGID_MIDDEN, "action": "login"}, timeout=10
    )
    assert done.url == f"{live_server.url}/mijn-aanvragen/"
    assert "U bent ingelogd met DigiD." in done.text

    process.terminate()
    process.wait(timeout=10)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{issuer}/.well-known/openid-configuration", timeout=5)
