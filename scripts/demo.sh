#!/usr/bin/env bash
# The whole GFSLT-VLP + SignCL pipeline on the built-in synthetic sign language, on a CPU, in minutes:
# pretrain (CLIP + masked-text decoder + SignCL) -> finetune (translation + SignCL) -> evaluate on test.
# The videos are rendered in memory from the seed in configs/synthetic/*.yaml (`slt synth` writes them to disk).
#
# Usage: scripts/demo.sh [OUT_DIR]        (default runs/demo)
# Result: OUT_DIR/pretrain, OUT_DIR/finetune (run folders), OUT_DIR/eval/report.json (test scores).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
slt="$repo/scripts/slt"
configs="$repo/configs/synthetic"
out="${1:-runs/demo}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# A rerun replaces the previous demo in OUT_DIR, and only that: the marker says the folders are ours.
marker="$out/.slt-demo"
for part in pretrain finetune eval; do
    if [[ -e "$out/$part" && ! -e "$marker" ]]; then
        echo "demo: $out/$part exists and is not from an earlier demo; choose another OUT_DIR" >&2
        exit 2
    fi
done
rm -rf "$out/pretrain" "$out/finetune" "$out/eval"
touch "$marker"

# FFmpeg for video files (the demo itself renders in memory; slt translate and the video tools need it).
"$repo/scripts/setup.sh"

start=$(date +%s)
elapsed() { local s=$(( $(date +%s) - start )); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

echo "== [1/3] pretraining (GFSLT-VLP + SignCL) on the synthetic sign language"
"$slt" pretrain --config "$configs/pretrain-signcl.yaml" --run-dir "$out/pretrain"
echo "   done at $(elapsed)"

echo "== [2/3] finetuning for translation (+ SignCL), initialised from the pretrained checkpoint"
"$slt" finetune --config "$configs/finetune-signcl.yaml" --init "$out/pretrain/checkpoints/best" --run-dir "$out/finetune"
echo "   done at $(elapsed)"

echo "== [3/3] evaluating the best checkpoint on the test split"
"$slt" eval --checkpoint "$out/finetune/checkpoints/best" --split test --baseline --out "$out/eval"

echo
echo "Finished in $(elapsed)."
echo "  pretraining run: $out/pretrain   (config.yaml, log.txt, metrics.jsonl, tensorboard/, checkpoints/)"
echo "  finetuning run:  $out/finetune"
echo "  test report:     $out/eval/report.json   (hypotheses.txt, references.txt beside it)"
