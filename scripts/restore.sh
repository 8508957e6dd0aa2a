#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database, then the files.
# Usage: scripts/restore.sh DUMPFILE [FILES]   (DATABASE_URL points at the empty database)
# FILES is the bucket backup (the directory bucket-<stamp>/, put back into the bucket of
# DJANGO_S3_BUCKET with the S3 API, every object checked against its SHA-256 first) or
# the archive private-<stamp>.tar.gz (unpacked into DJANGO_PRIVATE_MEDIA_ROOT).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-}"
if [ -z "$python" ]; then
  if [ -x "$here/../.venv/bin/python" ]; then python="$here/../.venv/bin/python"; else python=python3; fi
fi
dump="${1:?usage: scripts/restore.sh DUMPFILE [FILES]}"
files="${2:-}"
# Check a bucket backup (manifest, every SHA-256, the prefixes) before the database is
# touched: a damaged backup restores nothing at all.
if [ -n "$files" ] && [ -d "$files" ]; then
  "$python" "$here/bucket_backup.py" verify "$files" >&2 || {
    echo "restore: $files is not a sound bucket backup; nothing restored" >&2
    exit 1
  }
fi
pg_restore --no-owner --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$dump"
if [ -n "$files" ] && [ -d "$files" ]; then
  "$python" "$here/bucket_backup.py" restore "$files"
elif [ -n "$files" ]; then
  mkdir -p "${DJANGO_PRIVATE_MEDIA_ROOT:?set DJANGO_PRIVATE_MEDIA_ROOT}"
  tar -C "$DJANGO_PRIVATE_MEDIA_ROOT" -xzf "$files"
fi
echo "restored $dump"
