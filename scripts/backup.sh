#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (custom format) and the private files
# (application documents and decision letters). Usage: scripts/backup.sh DIR
# Needs DATABASE_URL, and for the files what the app servers have: the bucket
# (DJANGO_S3_BUCKET, DJANGO_S3_ENDPOINT_URL, ..., AWS credentials; production) or the
# directory (DJANGO_PRIVATE_MEDIA_ROOT; files on disk). Prints the dump's path last.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-}"
if [ -z "$python" ]; then
  if [ -x "$here/../.venv/bin/python" ]; then python="$here/../.venv/bin/python"; else python=python3; fi
fi
target="${1:?usage: scripts/backup.sh DIR}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$target"
pg_dump --format=custom --no-owner --dbname="$DATABASE_URL" --file="$target/initiatiefloket-$stamp.dump"
if [ -n "${DJANGO_S3_BUCKET:-}" ]; then
  "$python" "$here/bucket_backup.py" backup "$target/bucket-$stamp"
fi
if [ -d "${DJANGO_PRIVATE_MEDIA_ROOT:-}" ]; then
  tar -C "$DJANGO_PRIVATE_MEDIA_ROOT" -czf "$target/private-$stamp.tar.gz" .
fi
echo "$target/initiatiefloket-$stamp.dump"
