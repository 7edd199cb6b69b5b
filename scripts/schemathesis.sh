#!/usr/bin/env bash
# Property-based tests of the HTTP API against its own OpenAPI document: starts `lambda:serve` on a
# free port of 127.0.0.1, runs schemathesis (every check) and stops the server. Exit code: schemathesis'.
# Usage: scripts/schemathesis.sh [extra schemathesis options]   e.g. --max-examples 20
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ci/setup-python-tools.sh schemathesis >/dev/null 2>&1 || scripts/ci/setup-python-tools.sh schemathesis
log=$(mktemp)
node --import tsx lambda/server.ts --port 0 >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 150); do
  url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$log")
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.2
done
[ -n "$url" ] || { echo "lambda:serve did not start"; cat "$log"; exit 1; }
echo "schemathesis against $url/openapi.json"
set +e
.cache/venv-schemathesis/bin/schemathesis --config-file scripts/schemathesis.toml run "$url/openapi.json" --url "$url" \
  --checks all --workers 2 --max-examples "${ST_MAX_EXAMPLES:-30}" --request-timeout 60 "$@"
status=$?
set -e
if grep -q "Error\|Traceback" "$log"; then echo "--- server log ---"; cat "$log"; fi
exit $status
