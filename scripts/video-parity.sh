#!/usr/bin/env bash
# The synthetic sign language as .mp4 files + manifests against the same videos rendered as frames: both finetuned
# with configs/synthetic/finetune.yaml (same seed), both evaluated on test. The video run goes the whole video path:
# `slt synth --format mp4`, `slt data check`, FFmpeg decoding at training time, `slt translate` on three test videos.
#
# Usage: scripts/video-parity.sh [OUT_DIR]    (default runs/video-parity)
# Result: OUT_DIR/{frames,mp4}/eval/report.json and a line per run with test BLEU-4 / ROUGE-L.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
slt="$repo/scripts/slt"
config="$repo/configs/synthetic/finetune.yaml"
out="${1:-runs/video-parity}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
videos="$out/synthetic-mp4"

"$repo/scripts/setup.sh"
start=$(date +%s)
if [[ ! -f "$videos/test.tsv" ]]; then
    echo "== writing the synthetic sign language as .mp4 + manifests to $videos"
    "$slt" synth --out "$videos" --format mp4 --config "$config" -q
fi
as_manifest=(--set data.kind=manifest --set "data.root=$videos" --set data.files.train=train.tsv
             --set data.files.dev=dev.tsv --set data.files.test=test.tsv --set data.prefetch.workers=2)
"$slt" data check --config "$config" "${as_manifest[@]}" --labels-only

for run in frames mp4; do
    rm -rf "${out:?}/$run"
    extra=()
    [[ $run == mp4 ]] && extra=("${as_manifest[@]}")
    echo "== [$run] finetuning"
    "$slt" finetune --config "$config" "${extra[@]}" --run-dir "$out/$run" -q
    "$slt" eval --checkpoint "$out/$run/checkpoints/best" --split test --out "$out/$run/eval" -q > /dev/null
done

echo "== slt translate on three test videos (hypothesis, then reference)"
for i in 0 1 2; do
    id="test/synthetic-0000$i"
    "$slt" translate --checkpoint "$out/mp4/checkpoints/best" "$videos/videos/$id.mp4" -q
    awk -F'\t' -v id="$id" '$1 == id { print "  reference: " $5 }' "$videos/test.tsv"
done

for run in frames mp4; do
    report="$out/$run/eval/report.json"
    bleu4=$(sed -n 's/^ *"bleu4": *\([0-9.]*\).*/\1/p' "$report")
    rouge=$(sed -n 's/^ *"rouge_l": *\([0-9.]*\).*/\1/p' "$report")
    printf '%6s: test BLEU-4 %.2f  ROUGE-L %.2f\n' "$run" "$bleu4" "$rouge"
done
echo "Finished in $(( $(date +%s) - start )) s."
