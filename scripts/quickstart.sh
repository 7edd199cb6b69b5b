#!/usr/bin/env bash
# Set everything up and run the main job: install dependencies, then detect the checkboxes of a sample page.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/ci/setup-node.sh
ONNXRUNTIME_NODE_INSTALL=skip ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci
npm run -s detect -- --format jsonl --annotate out/quickstart tests/fixtures/page.png
echo "annotated page: out/quickstart/page.png" >&2
