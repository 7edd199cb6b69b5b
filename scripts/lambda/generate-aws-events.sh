#!/usr/bin/env bash
# Regenerates tests/fixtures/aws-events/ with AWS SAM CLI's own sample events:
# API Gateway REST (payload v1, aws-proxy) and HTTP API / Function URL (payload v2, http-api-proxy).
# The tests put real images into their bodies.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/ci/setup-python-tools.sh sam >/dev/null
out=tests/fixtures/aws-events
mkdir -p "$out"
export SAM_CLI_TELEMETRY=0
sam=.cache/venv-sam/bin/sam
"$sam" local generate-event apigateway aws-proxy > "$out/apigateway-aws-proxy.json.tmp"
"$sam" local generate-event apigateway http-api-proxy > "$out/apigateway-http-api-proxy.json.tmp"
for f in apigateway-aws-proxy apigateway-http-api-proxy; do mv "$out/$f.json.tmp" "$out/$f.json"; done
"$sam" --version > "$out/GENERATED_BY.txt"
echo "wrote $out: $(ls "$out" | tr '\n' ' ')"
