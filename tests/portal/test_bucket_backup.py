"""The bucket half of the backup (``scripts/bucket_backup.py``, called by
``scripts/backup.sh`` and ``scripts/restore.sh``) against a real S3-protocol server
(moto on loopback): back up, wipe the bucket, restore, and every object is back under
its key with the same bytes and content type (both of the portal's prefixes, private/
and public/, and nothing else); a damaged backup restores nothing.

The smoke stage does the same with the running portal and downloads a document and a
letter again afterwards (tests/smoke/test_production.py).
"""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.services.object_store import object_store

ROOT = Path(__file__).resolve().parents[2]
OBJECTS = {
    "private/applications/1/ab/abcdef": (b"%PDF-1.4 begroting", "application/pdf"),
    "private/decisions/2026/SF-2026-0001.pdf": (b"%PDF-1.7 beschikking", ""),
    "private/imports/historie.csv": ("kenmerk;bedrag\nIF-1;€ 500\n".encode(), ""),
    "public/images/plein.width-80.png": (b"\x89PNG rendition", "image/png"),
}


def bucket_script(action, directory, store, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "AWS_"))
    }
    env.update(store.environment(), **extra)
    return subprocess.run(
        [sys.executable, "scripts/bucket_backup.py", action, str(directory)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def contents(store):
    client = store.client()
    listed = client.list_objects_v2(Bucket=store.bucket).get("Contents", [])
    found = {}
    for item in listed:
        response = client.get_object(Bucket=store.bucket, Key=item["Key"])
        found[item["Key"]] = (response["Body"].read(), response["ContentType"])
    return found


def wipe(store):
    client = store.client()
    for item in client.list_objects_v2(Bucket=store.bucket).get("Contents", []):
        client.delete_object(Bucket=store.bucket, Key=item["Key"])
    assert contents(store) == {}


@pytest.fixture
def store():
    with object_store() as store:
        client = store.client()
        for key, (body, content_type) in OBJECTS.items():
            extra = {"ContentType": content_type} if content_type else {}
            client.put_object(Bucket=store.bucket, Key=key, Body=body, **extra)
        client.put_object(Bucket=store.bucket, Key="other/not-ours.txt", Body=b"x")
        yield store


def test_backup_wipe_restore_gives_back_every_object(store, tmp_path):
    """Every object under private/ and public/ is copied with its SHA-256 in the
    manifest (another application's object in the bucket is not); after the bucket is
    wiped, the restore puts each back under its key, byte for byte."""
    before = {k: v for k, v in contents(store).items() if k in OBJECTS}
    backup = tmp_path / "bucket-20261206T200000Z"
    made = bucket_script("backup", backup, store)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "4 objects copied from the bucket"
    manifest = json.loads((backup / "MANIFEST.json").read_text())
    assert manifest["bucket"] == store.bucket
    assert {entry["key"]: entry["sha256"] for entry in manifest["objects"]} == {
        key: hashlib.sha256(body).hexdigest() for key, (body, _type) in OBJECTS.items()
    }
    assert (backup / "private/decisions/2026/SF-2026-0001.pdf").read_bytes() == (
        b"%PDF-1.7 beschikking"
    )

    wipe(store)
    restored = bucket_script("restore", backup, store)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.strip() == "4 objects restored to the bucket"
    assert contents(store) == before
    assert contents(store)["private/applications/1/ab/abcdef"][1] == "application/pdf"
    assert contents(store)["public/images/plein.width-80.png"][1] == "image/png"


def test_a_damaged_backup_restores_nothing(store, tmp_path):
    """One changed byte in one file: the restore names it and puts nothing back."""
    backup = tmp_path / "backup"
    assert bucket_script("backup", backup, store).returncode == 0
    (backup / "private/imports/historie.csv").write_bytes(
        b"kenmerk;bedrag\nIF-1;EUR 900\n"
    )
    wipe(store)
    restored = bucket_script("restore", backup, store)
    assert restored.returncode == 1
    assert (
        "private/imports/historie.csv: SHA-256 differs from the manifest"
        in restored.stderr
    )
    assert contents(store) == {}


def test_the_backup_needs_the_bucket_and_an_empty_directory(store, tmp_path):
    """Without DJANGO_S3_BUCKET it says what to set; it never writes over an earlier
    backup."""
    missing = bucket_script("backup", tmp_path / "a", store, DJANGO_S3_BUCKET="")
    assert missing.returncode == 1
    assert "set DJANGO_S3_BUCKET" in missing.stderr
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "MANIFEST.json").write_text("{}")
    again = bucket_script("backup", tmp_path / "b", store)
    assert again.returncode == 1
    assert "is not empty" in again.stderr
    assert (tmp_path / "b" / "MANIFEST.json").read_text() == "{}"


def test_folder_markers_are_skipped_and_the_prefixes_must_match(store, tmp_path):
    """A zero-byte "folder" marker (private/, as consoles make them) is no file of the
    portal's and is skipped, not a traceback; verify checks a backup without touching
    the bucket, and refuses one made under other prefixes than this environment reads
    (restored there, every download would answer 404)."""
    client = store.client()
    client.put_object(Bucket=store.bucket, Key="private/", Body=b"")
    client.put_object(Bucket=store.bucket, Key="private/decisions/", Body=b"")
    backup = tmp_path / "backup"
    made = bucket_script("backup", backup, store)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "4 objects copied from the bucket"

    checked = bucket_script("verify", backup, store)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == "4 objects in the backup match its manifest"
    elsewhere = bucket_script("verify", backup, store, DJANGO_S3_PREFIX="privé")
    assert elsewhere.returncode == 1
    assert "this environment reads" in elsewhere.stderr
    wipe(store)
    assert bucket_script("restore", backup, store, DJANGO_S3_PREFIX="x").returncode == 1
    assert contents(store) == {}
