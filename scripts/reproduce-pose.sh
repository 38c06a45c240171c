#!/usr/bin/env bash
# RGB, pose only and RGB + pose (sum and gated fusion) on the built-in synthetic sign language (its keypoints carry detector noise, dropped
# joints and low scores; docs/pose.md): per seed, pretraining (pretrain.yaml) then finetuning (finetune.yaml, --init
# from the best pretraining checkpoint) with model.input set to each input, test evaluation and the sign density
# ratio; then a paired bootstrap (slt compare) of pose and RGB + pose against RGB and the table of
# docs/results-synthetic.md#pose-keypoints. A rerun continues where an interrupted one stopped.
#
# Usage: scripts/reproduce-pose.sh [OUT] [options]
#   OUT                   output folder (default runs/reproduce-pose)
#   --seeds N             seeds per input (default 3): run.seed = 1..N
#   --pretrain-epochs N   training.epochs of pretraining (default 2, as scripts/reproduce-synthetic.sh)
#   --finetune-epochs N   training.epochs of finetuning (default 4)
#   --set KEY=VALUE       passed to every slt command (repeatable), e.g. --set model.pose.fusion=gated
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$REPO/scripts/reproduce-common.sh"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
OUT="" SEED_COUNT=3 PRETRAIN_EPOCHS=2 FINETUNE_EPOCHS=4 SETS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seeds) SEED_COUNT="$2"; shift 2 ;;
    --pretrain-epochs) PRETRAIN_EPOCHS="$2"; shift 2 ;;
    --finetune-epochs) FINETUNE_EPOCHS="$2"; shift 2 ;;
    --set) SETS+=(--set "$2"); shift 2 ;;
    -h|--help) usage ;;
    -*) echo "reproduce-pose.sh: unknown option $1" >&2; usage ;;
    *) if [[ -z "$OUT" ]]; then OUT="$1"; else usage; fi; shift ;;
  esac
done
for number in "$SEED_COUNT" "$PRETRAIN_EPOCHS" "$FINETUNE_EPOCHS"; do
  [[ "$number" =~ ^[1-9][0-9]*$ ]] || { echo "reproduce-pose.sh: --seeds and the epochs expect positive integers, got '$number'" >&2; exit 2; }
done
OUT="${OUT:-$REPO/runs/reproduce-pose}"
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
CONFIGS="$REPO/configs/synthetic"
# Rows: folder name, then the model settings of the row.
ROWS=("rgb model.input=rgb" "pose model.input=pose" "rgb-pose model.input=rgb+pose model.pose.fusion=sum"
      "rgb-pose-gated model.input=rgb+pose model.pose.fusion=gated")
started=$SECONDS
log "pose reproduction: $SEED_COUNT seeds, rows ${ROWS[*]}, output $OUT"
for seed in $(seq 1 "$SEED_COUNT"); do
  for definition in "${ROWS[@]}"; do
    read -r row settings <<< "$definition"
    model_sets=()
    for setting in $settings; do model_sets+=(--set "$setting"); done
    base="$OUT/$row/seed-$seed"
    train_step pretrain "$base/pretrain" "" --config "$CONFIGS/pretrain.yaml" "${SETS[@]}" "${model_sets[@]}" \
      --set "training.epochs=$PRETRAIN_EPOCHS" --set "run.seed=$seed"
    train_step finetune "$base/finetune" "$base/pretrain" --config "$CONFIGS/finetune.yaml" --init "$base/pretrain/checkpoints/best" \
      "${SETS[@]}" "${model_sets[@]}" --set "training.epochs=$FINETUNE_EPOCHS" --set "run.seed=$seed"
    step "$base/eval" --after "$base/finetune" slt eval --checkpoint "$base/finetune/checkpoints/best" --split test --out "$base/eval"
    step "$base/density" --after "$base/finetune" slt density --checkpoint "$base/finetune/checkpoints/best" --split test --out "$base/density"
  done
done
hyps=()
for definition in "${ROWS[@]}"; do
  read -r row _ <<< "$definition"
  : > "$OUT/$row/hypotheses.txt"
  for seed in $(seq 1 "$SEED_COUNT"); do cat "$OUT/$row/seed-$seed/eval/hypotheses.txt" >> "$OUT/$row/hypotheses.txt"; done
  hyps+=(--hyp "$row/hypotheses.txt")
done
: > "$OUT/references.txt"
for seed in $(seq 1 "$SEED_COUNT"); do cat "$OUT/rgb/seed-$seed/eval/references.txt" >> "$OUT/references.txt"; done
(cd "$OUT" && slt compare --ref references.txt "${hyps[@]}" --json > compare.json)
dotnet run "$REPO/scripts/pose-table.cs" -- --runs "$OUT" --compare "$OUT/compare.json" > "$OUT/table.md"
elapsed=$((SECONDS - started))
echo "$elapsed" > "$OUT/seconds.txt"
log "finished in $((elapsed / 60)) min $((elapsed % 60)) s; table: $OUT/table.md"
cat "$OUT/table.md"
