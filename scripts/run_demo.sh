#!/usr/bin/env bash
# Serve the seeded demo with a background worker for letters, exports and mail.
# Used by `make run`; stops the worker when the server stops.
set -euo pipefail
cd "$(dirname "$0")/.."
host="${HOST:-127.0.0.1}"
port="${PORT:-8000}"
.venv/bin/python manage.py run_worker --interval 1 --no-reload -v0 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
.venv/bin/python manage.py runserver "$host:$port"
