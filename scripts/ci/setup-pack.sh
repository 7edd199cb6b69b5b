#!/usr/bin/env bash
# CI set-up for `npm run pack:check` (called from .ci/run after `npm ci`).
# The offline check packs electron-builder's `dir` target, which needs no system packages: no 7-Zip
# (only zip/7z/tar.* targets use it), no fpm, no appimagetool, no Electron download. This script
# checks what the pack does need, so that a missing piece fails here with a clear message.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "setup-pack: $*" >&2; exit 1; }

[ "$(uname -s)" = Linux ] || fail "pack:check packs the Linux app tree; run it on Linux"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=13)?0:1)' \
  || fail "Node >= 22.13 needed, found $(node --version)"
[ -f node_modules/electron-builder/package.json ] || fail "run npm ci first (electron-builder missing)"
[ -f node_modules/electron/package.json ] || fail "run npm ci first (electron's package gives the Electron version)"
# The installers ship this file; CHECKBOX_MODEL only redirects the app at run time.
[ -f models/checkbox-detector.onnx ] || fail "models/checkbox-detector.onnx is missing: the packed app ships it"
[ -f tests/fixtures/page.png ] && [ -f tests/fixtures/truth.json ] || fail "tests/fixtures are missing"
echo "setup-pack: ready (no system packages needed for the dir pack)"
