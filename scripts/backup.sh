#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (custom format) and the private files
# (application documents and decision letters). Usage: scripts/backup.sh DIR
# Needs DATABASE_URL and DJANGO_PRIVATE_MEDIA_ROOT as the app servers have them.
set -euo pipefail
target="${1:?usage: scripts/backup.sh DIR}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$target"
pg_dump --format=custom --no-owner --dbname="$DATABASE_URL" --file="$target/initiatiefloket-$stamp.dump"
if [ -d "${DJANGO_PRIVATE_MEDIA_ROOT:-}" ]; then
  tar -C "$DJANGO_PRIVATE_MEDIA_ROOT" -czf "$target/private-$stamp.tar.gz" .
fi
echo "$target/initiatiefloket-$stamp.dump"
