"""A real OpenID provider for tests: ``tests/oidc/provider.mjs`` (oidc-provider) on loopback.

``oidc_provider(rp_urls)`` starts it with Node on a free port of 127.0.0.1, registers
the portal's three clients for the given relying-party URLs, waits for it to listen and
always stops it. ``provider_settings(issuer)`` is ``settings.OIDC_PROVIDERS`` pointing at
it, with the test clients' secrets. ``make run`` with DEMO_OIDC=1 starts the same script.
"""

import contextlib
import os
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
