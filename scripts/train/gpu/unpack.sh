#!/usr/bin/env bash
# On a GPU machine that is reached by copying files (a few tens of MB a call): unpack one share of the packed
# training pages into $DATA (default /root/d), and install Ultralytics once from carried wheels.
#   scripts/train/gpu/unpack.sh PART.tar [TAIL.tgz]     (TAIL: labels, train.txt, val.txt, data.yaml; last call)
set -eu
DATA=${DATA:-/root/d}; PY=${PY:-python3}; WHEELS=${WHEELS:-.whl}
mkdir -p "$DATA" && tar xf "$1" -C "$DATA"
if [ -n "${2:-}" ]; then tar xzf "$2" -C "$DATA"; fi
if [ ! -d /tmp/site/ultralytics ]; then
  $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site "$WHEELS"/*.whl
  # Ultralytics reads its results.csv through polars, inside a try; where polars is missing, a stub that fails
  # there is enough (its wheel is ~40 MB).
  $PY -c 'import polars' 2>/dev/null || { mkdir -p /tmp/site/polars &&
    echo 'def read_csv(*a, **k): raise ImportError("no polars here")' > /tmp/site/polars/__init__.py; }
  nvidia-smi -L || true
  PYTHONPATH=/tmp/site $PY -c 'import torch, ultralytics; print(torch.__version__, torch.cuda.is_available(), ultralytics.__version__)'
fi
echo "pages so far: $(ls "$DATA/images" | wc -l)"
