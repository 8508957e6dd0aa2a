"""A real OpenID provider for tests: ``tests/oidc/provider.mjs`` (oidc-provider) on loopback.

``oidc_provider(rp_urls)`` starts it with Node on a free port of 127.0.0.1, registers
the portal's three clients for the given relying-party URLs, waits for it to listen and
always stops it. ``provider_settings(issuer)`` is ``settings.OIDC_PROVIDERS`` pointing at
it, with the test clients' secrets. ``make run`` with DEMO_OIDC=1 starts the same script.

``provider_login`` logs a ``requests.Session`` in through the provider's login page (as
a browser would: the session keeps both sites' cookies), ``portal_logout`` logs it out,
and ``portal_session`` reads the portal's session of that browser from the store.
"""

import contextlib
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"

#: The test accounts of provider.mjs that tests refer to.
DIGID_MIDDEN = "digid-midden"
DIGID_MIDDEN_BSN = "999993653"
DIGID_SUBSTANTIEEL = "digid-substantieel"
DIGID_SUBSTANTIEEL_BSN = "999991772"
DIGID_BASIS = "digid-basis"
DIGID_BASIS_BSN = "999990019"
#: Midden, but a BSN that fails the elfproef.
DIGID_INVALID_BSN = "digid-ongeldig"
EHERKENNING_EH3 = "eherkenning-eh3"
EHERKENNING_EH3_COLLEAGUE = "eherkenning-eh3-collega"
EHERKENNING_KVK = "69599084"
EHERKENNING_BRANCH = "000038509490"
EHERKENNING_EH2 = "eherkenning-eh2"
STAFF_MFA = "medewerker-mfa"
STAFF_MFA_EMAIL = "sso.beoordelaar@utrecht.example"
STAFF_PASSWORD_ONLY = "medewerker-wachtwoord"
STAFF_PASSWORD_ONLY_EMAIL = "sso.besluitvormer@utrecht.example"
STAFF_NO_ROLE = "medewerker-zonder-rol"

#: What the browser waits for at most for one page (seconds).
TIMEOUT = 10


def provider_settings(issuer, base=None):
    """``settings.OIDC_PROVIDERS`` with every provider pointing at ``issuer``."""
    from django.conf import settings

    providers = {
        name: dict(values) for name, values in (base or settings.OIDC_PROVIDERS).items()
    }
    for name, values in providers.items():
        values.update(
            issuer=issuer,
            client_id=f"initiatiefloket-{name}",
            client_secret=f"test-secret-{name}",
        )
    return providers


@contextlib.contextmanager
def oidc_provider(rp_urls, *, port=0):
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("Node.js is needed for the test OpenID provider")
    process = subprocess.Popen(
        [node, str(SCRIPT), "--port", str(port), "--rp", ",".join(rp_urls)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "NODE_ENV": "test"},
    )
    try:
        ready = {}

        def read():
            line = process.stdout.readline()
            if line.startswith("READY "):
                ready["issuer"] = line.split()[1]

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(timeout=20)
        if "issuer" not in ready:
            raise RuntimeError("the test OpenID provider did not start")
        yield ready["issuer"]
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def provider_login(browser, start_url, account, *, action="login"):
    """Start a login at ``start_url`` (``/inloggen/<provider>/`` on the live server),
    pick ``account`` on the provider's page and press "Inloggen" (or "Annuleren" with
    ``action="cancel"``). Returns the last response, after every redirect and every
    form the provider submits by script (as when another account's session ends)."""
    page = browser.get(start_url, timeout=TIMEOUT)
    form = re.search(
        r'<form method="post" action="(/interaction/[^"]+/login)"', page.text
    )
    if form is None:
        raise AssertionError(f"no login page of the provider at {page.url}")
    origin = page.url.split("/interaction/")[0]
    page = browser.post(
        origin + form.group(1),
        data={"account": account, "action": action},
        timeout=TIMEOUT,
    )
    return submit_script_forms(browser, page)


def submit_script_forms(browser, page):
    """Submit the forms a page of the provider submits by script, as a browser does."""
    for _hop in range(5):
        if "document.forms[0].submit()" not in page.text:
            return page
        form = re.search(
            r'<form method="post" action="([^"]+)">(.*?)</form>', page.text, re.S
        )
        fields = dict(
            re.findall(
                r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2)
            )
        )
        page = browser.post(form.group(1), data=fields, timeout=TIMEOUT)
    raise AssertionError(f"the provider keeps submitting forms at {page.url}")


def csrf_token(browser, live_url):
    """The portal's CSRF token for this browser (its cookie is set on any page)."""
    if "csrftoken" not in browser.cookies:
        browser.get(f"{live_url}/inloggen/", timeout=TIMEOUT)
    return browser.cookies["csrftoken"]


def login_by_email_link(browser, live_url, email):
    """Log the browser in with a login link by e-mail, as a resident does (the mail
    is read from Django's test outbox). Returns the page after the login."""
    from django.core import mail

    sent = browser.post(
        f"{live_url}/inloggen/",
        data={"csrfmiddlewaretoken": csrf_token(browser, live_url), "email": email},
        headers={"Referer": f"{live_url}/inloggen/"},
        timeout=TIMEOUT,
    )
    if sent.url != f"{live_url}/inloggen/verstuurd/":
        raise AssertionError(f"no login link sent: {sent.status_code} {sent.url}")
    link = re.search(r"(http://\S+/inloggen/link/\?\S+)", mail.outbox[-1].body)
    page = browser.get(link.group(1), timeout=TIMEOUT)
    token = re.search(r'name="t" value="([^"]+)"', page.text).group(1)
    return browser.post(
        f"{live_url}/inloggen/link/",
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"], "t": token},
        headers={"Referer": f"{live_url}/"},
        timeout=TIMEOUT,
    )


def portal_logout(browser, live_url):
    """Press "Uitloggen": the portal's answer, its redirect not followed."""
    return browser.post(
        f"{live_url}/uitloggen/",
        data={"csrfmiddlewaretoken": csrf_token(browser, live_url)},
        headers={"Referer": f"{live_url}/"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )


def submit_provider_logout(browser, end_session_url):
    """Open the provider's end-session page and submit its form, as its script does.
    Returns the last response, after every redirect."""
    page = browser.get(end_session_url, timeout=TIMEOUT)
    form = re.search(
        r'<form[^>]*id="op.logoutForm"[^>]*>.*?</form>', page.text, flags=re.DOTALL
    )
    if form is None:
        raise AssertionError(f"no logout form at {page.url}: {page.text[:500]}")
    action = re.search(r'action="([^"]+)"', form.group(0)).group(1)
    fields = dict(
        re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form.group(0))
    )
    if not action.startswith("http"):
        action = page.url.split("/session/")[0] + action
    return browser.post(action, data={**fields, "logout": "yes"}, timeout=TIMEOUT)


def portal_session(browser):
    """The portal's session of this browser as stored (a dict), or {} without one."""
    from importlib import import_module

    from django.conf import settings

    key = browser.cookies.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return {}
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    return dict(store.load())
