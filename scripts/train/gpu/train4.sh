#!/usr/bin/env bash
# On one GPU, four trainings side by side for $HOURS each (Ultralytics fits the epochs to the time): two
# fine-tunes of the bundled model (lr 0.0005; lr 0.001 with a warmup epoch) and YOLO11n and YOLO11s (ReLU, no
# attention block) from scratch. The stripped last two epochs of each fine-tune and the last of each scratch run,
# and the logs' tails, go to $OUT; files over 15 MB are split (`cat X.pt.* > X.pt`).
#   OUT=... scripts/train/gpu/train4.sh        (data from scripts/train/gpu/unpack.sh)
set -u
PY=${PY:-python3}; DEV=${DEV:-0}; H=${HOURS:-0.1}; W=${WORKERS:-3}; B=${BATCH:-32}; DATA=${DATA:-/root/d}
export PYTHONPATH=/tmp/site YOLO_OFFLINE=true PYTHONUNBUFFERED=1
cp scripts/train/yolo11n-relu-nopsa.yaml /tmp/yolo11s-relu-nopsa.yaml  # Ultralytics takes the scale from the name
# --time decides the epochs; --epochs 40 only sets how many end without mosaic (8).
T="$PY scripts/train/train.py --data $DATA/data.yaml --device $DEV --batch $B --workers $W --epochs 40 --time $H
  --no-val --project /tmp/runs"
$T --model models/checkbox-detector.pt --lr0 0.0005 --warmup-epochs 0 --name ft > /tmp/ft.log 2>&1 &
$T --model models/checkbox-detector.pt --lr0 0.001 --warmup-epochs 1 --name fthi > /tmp/fthi.log 2>&1 &
$T --model scripts/train/yolo11n-relu-nopsa.yaml --name scrn > /tmp/scrn.log 2>&1 &
$T --model /tmp/yolo11s-relu-nopsa.yaml --name scrs > /tmp/scrs.log 2>&1 &
wait
mkdir -p "$OUT"
for r in ft fthi scrn scrs; do
  d=/tmp/runs/$r/weights; last=$(ls $d/epoch*.pt 2>/dev/null | sed 's/.*epoch//;s/\.pt//' | sort -n | tail -1)
  { echo "== $r: epochs saved up to ${last:-none}"; tr '\r' '\n' < /tmp/$r.log | grep -v '^ *$' | tail -n 40; } |
    tee -a "$OUT/logs.txt" | tail -n 2
  [ -n "$last" ] || continue
  keep=$last; case $r in ft | fthi) keep="$((last - 1)) $last" ;; esac
  for e in $keep; do
    [ "$e" -ge 0 ] || continue
    f=/tmp/$r-e$e.pt
    cp $d/epoch$e.pt $f && $PY -c "from ultralytics.utils.torch_utils import strip_optimizer as s; s('$f')" >/dev/null
    if [ "$(stat -c %s $f)" -gt 15000000 ]; then split -b 12000000 $f "$OUT/$r-e$e.pt."; else cp $f "$OUT/"; fi
  done
done
ls -la "$OUT"
