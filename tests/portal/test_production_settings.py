"""The production settings fail closed, pass Django's deploy check, keep the demo out,
and put documents and letters in a private bucket. Each case runs ``manage.py`` or a
short script in its own process with ``portal.settings.production``."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.services.object_store import object_store
from tests.services.production import production_environment

ROOT = Path(__file__).resolve().parents[2]


def run(args, env, timeout=120):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "PUBLIC_SITE_URL"]
)
def test_production_refuses_to_start_without_a_required_setting(missing):
    """Without the secret key, the allowed hosts or the public address the process
    stops before anything runs, with one line that names what is missing."""
    result = run(["manage.py", "check"], production_environment(**{missing: None}))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert missing in lines[0]
    assert "refuses to start" in lines[0]


def test_production_refuses_the_development_secret_key():
    env = production_environment(DJANGO_SECRET_KEY="dev-only-insecure-key")
    result = run(["manage.py", "check"], env)
    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY" in result.stderr.strip()


def test_production_passes_the_deploy_check_without_a_warning():
    """`manage.py check --deploy --fail-level WARNING` is clean."""
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_environment(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_seed_demo_refuses_under_production_settings():
    """Demo users with known passwords never reach a production database."""
    result = run(["manage.py", "seed_demo"], production_environment())
    assert result.returncode != 0
    assert "seed_demo weigert" in result.stderr


SETTINGS_SCRIPT = textwrap.dedent(
    """
    import django
    from django.conf import settings
    django.setup()
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.DATABASES["default"]["OPTIONS"]["pool"]["timeout"] <= 5
    assert settings.DEMO_BANNER is False
    private = storages["private"]
    name = private.save("applications/1/ab/abc", ContentFile(b"begroting"))
    with private.open(name) as handle:
        assert handle.read() == b"begroting"
    print("KEY", private._normalize_name(name))
    """
)


def test_documents_and_letters_go_to_a_private_bucket():
    """The private storage of production is the S3 bucket: a file saved there reads
    back through Django, and the object store refuses the same object to anyone
    without credentials (no public URL)."""
    import urllib.error
    import urllib.request

    with object_store() as store:
        env = production_environment(**store.environment())
        result = run(["-c", SETTINGS_SCRIPT], env)
        assert result.returncode == 0, result.stderr[-3000:]
        key = result.stdout.split("KEY", 1)[1].strip()
        assert key.startswith("private/applications/1/")
        stored = store.client().get_object(Bucket=store.bucket, Key=key)
        assert stored["Body"].read() == b"begroting"
        acl = store.client().get_object_acl(Bucket=store.bucket, Key=key)
        assert not [
            grant
            for grant in acl["Grants"]
            if "AllUsers" in grant["Grantee"].get("URI", "")
        ]
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{store.endpoint}/{store.bucket}/{key}", timeout=5)
        assert refused.value.code == 403
