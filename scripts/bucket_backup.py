"""Back up the private bucket to a directory, or restore it from one, with the S3 API.

    python scripts/bucket_backup.py backup DIR    # the portal's objects -> DIR
    python scripts/bucket_backup.py restore DIR   # DIR -> the bucket, checked first
    python scripts/bucket_backup.py verify DIR    # check DIR only (restore.sh, first)

Reads the variables the app servers have (docs/deployment.md): ``DJANGO_S3_BUCKET``,
``DJANGO_S3_ENDPOINT_URL``, ``DJANGO_S3_REGION``, ``DJANGO_S3_PREFIX`` (private),
``DJANGO_S3_PUBLIC_PREFIX`` (public), ``DJANGO_S3_ADDRESSING_STYLE``, and the
credentials as boto3 finds them (``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` or
the machine's role). No Django.

A backup is a copy of every object under the two prefixes (application documents and
decision letters; the CMS's images, renditions and documents), each in the directory
under its key, plus ``MANIFEST.json`` with the key, size, SHA-256 and content type of
each. Other objects in the bucket are not the portal's and are left out. A restore first checks every file against the manifest and
uploads nothing if one differs or is missing; then it puts each object back under the
same key (the keys are what the database's file names point at) and checks its size.
"""

import hashlib
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

MANIFEST = "MANIFEST.json"
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


def _settings():
    """The bucket and the portal's prefixes in it (``private/``, ``public/``)."""
    bucket = os.environ.get("DJANGO_S3_BUCKET", "").strip()
    if not bucket:
        raise BackupError("set DJANGO_S3_BUCKET (docs/deployment.md)")
    prefixes = []
    for name, default in (
        ("DJANGO_S3_PREFIX", "private"),
        ("DJANGO_S3_PUBLIC_PREFIX", "public"),
    ):
        prefix = os.environ.get(name, default).strip("/")
        if not prefix:
            raise BackupError(f"{name} is empty: the portal's objects need a prefix")
        if f"{prefix}/" not in prefixes:
            prefixes.append(f"{prefix}/")
    return bucket, prefixes


def _client():
    import boto3
    from botocore.config import Config

    style = os.environ.get("DJANGO_S3_ADDRESSING_STYLE") or None
    return boto3.client(
        "s3",
        endpoint_url=os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,
        region_name=os.environ.get("DJANGO_S3_REGION", "eu-west-1"),
        config=Config(s3={"addressing_style": style}) if style else None,
    )


def _relative(key):
    """The object's key as a path in the directory, refused if it would leave it or
    if two keys could land on one file (``a//b`` and ``a/b``, ``a/./b``)."""
    relative = PurePosixPath(key)
    if (
        relative.is_absolute()
        or ".." in relative.parts
        or not relative.parts
        or relative.parts[0] == MANIFEST
    ):
        raise BackupError(f"refusing an object key outside the backup: {key!r}")
    if str(relative) != key:
        raise BackupError(f"refusing an object key that is no plain path: {key!r}")
    return relative


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def backup(target):
    bucket, prefixes = _settings()
    client = _client()
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty")
    target.mkdir(parents=True, exist_ok=True)
    objects = []
    paginator = client.get_paginator("list_objects_v2")
    listed = (
        item
        for prefix in prefixes
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix)
        for item in page.get("Contents", [])
    )
    for item in listed:
        if item["Key"].endswith("/") and item["Size"] == 0:
            continue  # a "folder" marker some tools make: no file of the portal's
        relative = _relative(item["Key"])
        path = target.joinpath(*relative.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        response = client.get_object(Bucket=bucket, Key=item["Key"])
        digest = hashlib.sha256()
        with open(path, "wb") as handle:
            for chunk in response["Body"].iter_chunks(CHUNK):
                digest.update(chunk)
                handle.write(chunk)
        size = path.stat().st_size
        if size != item["Size"]:
            raise BackupError(f"{item['Key']}: {size} bytes, listed {item['Size']}")
        objects.append(
            {
                "key": item["Key"],
                "size": size,
                "sha256": digest.hexdigest(),
                "content_type": response.get("ContentType", ""),
            }
        )
    manifest = {
        "bucket": bucket,
        "prefixes": prefixes,
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "objects": objects,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1))
    return len(objects)


def verify(source):
    """Check a backup without touching the bucket: the manifest, every file against
    its SHA-256, and the prefixes against this environment's (objects restored under
    other prefixes than the app servers read would all answer 404)."""
    _bucket, prefixes = _settings()
    source = Path(source)
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{manifest_path} is missing: not a bucket backup")
    manifest = json.loads(manifest_path.read_text())
    if sorted(manifest.get("prefixes", [])) != sorted(prefixes):
        raise BackupError(
            f"the backup holds the prefixes {manifest.get('prefixes')}, this "
            f"environment reads {prefixes}: set DJANGO_S3_PREFIX and "
            "DJANGO_S3_PUBLIC_PREFIX as when it was made"
        )
    objects = manifest["objects"]
    for entry in objects:
        path = source.joinpath(*_relative(entry["key"]).parts)
        if not path.is_file():
            raise BackupError(f"{entry['key']}: missing from {source}")
        if _sha256(path) != entry["sha256"]:
            raise BackupError(f"{entry['key']}: SHA-256 differs from the manifest")
    return objects


def restore(source):
    bucket, _prefixes = _settings()
    source = Path(source)
    # Check everything before the first upload: a damaged backup restores nothing.
    objects = verify(source)
    client = _client()
    for entry in objects:
        key = entry["key"]
        path = source.joinpath(*_relative(key).parts)
        extra = {"ContentType": entry["content_type"]} if entry["content_type"] else {}
        with open(path, "rb") as handle:
            client.put_object(Bucket=bucket, Key=key, Body=handle, **extra)
        size = client.head_object(Bucket=bucket, Key=key)["ContentLength"]
        if size != entry["size"]:
            raise BackupError(
                f"{key}: {size} bytes in the bucket, {entry['size']} saved"
            )
    return len(objects)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2 or argv[0] not in {"backup", "restore", "verify"}:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    action, directory = argv
    try:
        if action == "verify":
            count = len(verify(directory))
        else:
            count = backup(directory) if action == "backup" else restore(directory)
    except BackupError as error:
        sys.stderr.write(f"bucket {action}: {error}\n")
        return 1
    done = {
        "backup": "copied from the bucket",
        "restore": "restored to the bucket",
        "verify": "in the backup match its manifest",
    }[action]
    sys.stdout.write(f"{count} objects {done}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
