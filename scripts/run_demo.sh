#!/usr/bin/env bash
# Serve the seeded demo with a background worker for letters, exports and mail.
# Used by `make run`; stops the worker when the server stops.
#
# DEMO_OIDC=1 also starts the test OpenID provider (tests/oidc/provider.mjs) on
# 127.0.0.1:${OIDC_PORT:-8010} and points DigiD, eHerkenning and the staff sign-on at
# it, so a newcomer can try those logins with its test accounts. Without it the demo
# needs no other server: residents log in with the link by e-mail.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
children=()
oidc_log=""

stop_children() {
  for pid in "${children[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  if [ -n "$oidc_log" ]; then rm -f "$oidc_log"; fi
}

# Start the test provider for the portal at http://$host:$port, wait for its READY line
# and export the settings of its three clients (portal/settings/base.py reads them).
start_oidc_provider() {
  local rp="http://$host:$port" issuer="" pid
  if [ "$host" = "127.0.0.1" ]; then rp="$rp,http://localhost:$port"; fi
  oidc_log="$(mktemp "${TMPDIR:-/tmp}/initiatiefloket-oidc.XXXXXX")"
  NODE_ENV=test node "$ROOT/tests/oidc/provider.mjs" \
    --port "${OIDC_PORT:-8010}" --rp "$rp" >"$oidc_log" 2>&1 &
  pid=$!
  children+=("$pid")
  for _ in $(seq 1 100); do
    issuer="$(sed -n 's/^READY //p' "$oidc_log")"
    if [ -n "$issuer" ]; then break; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.2
  done
  if [ -z "$issuer" ]; then
    cat "$oidc_log" >&2
    echo "DEMO_OIDC=1: the test OpenID provider did not start (is port ${OIDC_PORT:-8010} free?)" >&2
    return 1
  fi
  local pair prefix name
  for pair in DIGID:digid EHERKENNING:eherkenning STAFF:medewerker; do
    prefix="${pair%%:*}"
    name="${pair#*:}"
    export "OIDC_${prefix}_ISSUER=$issuer"
    export "OIDC_${prefix}_CLIENT_ID=initiatiefloket-$name"
    export "OIDC_${prefix}_CLIENT_SECRET=test-secret-$name"
  done
  echo "Test OpenID provider: $issuer (DigiD, eHerkenning and staff sign-on)."
  echo "Its login page offers these test accounts:"
  # Read from the provider's ACCOUNTS, so the list never differs from its page.
  awk '/^  \047[a-z0-9-]+\047: \{$/ { split($0, p, "\047"); id = p[2]; next }
       id != "" && /label:/ { split($0, p, "\047"); printf "  %-25s %s\n", id, p[2]; id = "" }' \
    "$ROOT/tests/oidc/provider.mjs"
}

main() {
  cd "$ROOT"
  host="${HOST:-127.0.0.1}"
  port="${PORT:-8000}"
  trap stop_children EXIT INT TERM
  if [ "${DEMO_OIDC:-}" = "1" ]; then
    start_oidc_provider
  fi
  .venv/bin/python manage.py run_worker --interval 1 --no-reload -v0 &
  children+=("$!")
  .venv/bin/python manage.py runserver "$host:$port"
}

# Sourced (tests/portal/test_demo_oidc.py), it only defines the functions.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
