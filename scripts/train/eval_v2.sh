#!/bin/sh
# Scores one ONNX model on every held-out style set and on the real dev sets; one report per set in OUT_DIR.
#   scripts/train/eval_v2.sh /work/train-v2/candidate.onnx /work/train-v2/eval/candidate [SET...]
model=$1; out=$2; shift 2
D=/work/train-v2/data
sets=${*:-"$D/heldout-web-pico $D/heldout-pdf-star $D/heldout-office-notosymbols2 $D/heldout-formgen-felt/eval
  /work/shared/data/real-dev /work/shared/data/real-dev-2"}
mkdir -p "$out"
for s in $sets; do
  name=$(echo "$s" | sed 's#/eval$##; s#.*/##')
  npm run --silent eval -- --model "$model" "$s" > "$out/$name.txt" 2>&1
  echo "== $name"; tail -6 "$out/$name.txt"
done
