#!/bin/sh
# Lambda starts the runtime through this script (AWS_LAMBDA_EXEC_WRAPPER, set in Dockerfile.lambda) and hands it
# the runtime's own command: the node binary, then its arguments. It adds one V8 flag, which Node refuses in
# NODE_OPTIONS: the old generation starts at 64 MiB. With V8's default sizing a warm function that decodes page
# after page runs a full garbage collection every few requests (src-core/spawn-worker.ts sets the same for the
# app's and the CLI's worker threads).
node="$1"
shift
exec "$node" --initial-old-space-size=64 "$@"
