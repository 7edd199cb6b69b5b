#!/usr/bin/env bash
# Python tools the cloud tests use: moto (a local AWS for the deploy test) and
# schemathesis (property tests against /openapi.json). Each lives in its own
# venv under .cache/ so their pins never meet; a venv that has its command already is kept.
# Usage: scripts/ci/setup-python-tools.sh [moto] [schemathesis] [sam]   (default: moto schemathesis)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PYTHON:-python3}"
tools=("$@")
[ ${#tools[@]} -eq 0 ] && tools=(moto schemathesis)

make_venv() { # name, command it provides, pip requirement...
  local dir=".cache/venv-$1" command="$2"; shift 2
  if [ -x "$dir/bin/$command" ]; then return 0; fi
  if [ ! -x "$dir/bin/python" ]; then "$PY" -m venv "$dir"; fi
  # This machine's pip config names local mirrors that may be absent; their warnings are noise.
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "$@" \
    2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
}

for t in "${tools[@]}"; do
  case "$t" in
    moto) make_venv moto moto_server 'moto[server]>=5,<6' ;;
    schemathesis) make_venv schemathesis schemathesis 'schemathesis>=4,<5' ;;
    sam) make_venv sam sam 'aws-sam-cli>=1.140,<2' ;;
    *) echo "unknown tool: $t" >&2; exit 2 ;;
  esac
  echo "ready: .cache/venv-$t"
done
