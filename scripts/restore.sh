#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database.
# Usage: scripts/restore.sh DUMPFILE [PRIVATE_TAR]   (DATABASE_URL points at the empty database)
set -euo pipefail
dump="${1:?usage: scripts/restore.sh DUMPFILE [PRIVATE_TAR]}"
pg_restore --no-owner --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$dump"
if [ -n "${2:-}" ]; then
  mkdir -p "${DJANGO_PRIVATE_MEDIA_ROOT:?set DJANGO_PRIVATE_MEDIA_ROOT}"
  tar -C "$DJANGO_PRIVATE_MEDIA_ROOT" -xzf "$2"
fi
echo "restored $dump"
