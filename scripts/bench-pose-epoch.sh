#!/usr/bin/env bash
# Times training epochs of the synthetic finetuning config with model.input rgb, pose and rgb+pose (same seed, same
# data, same batches) and prints each epoch's training time and the ratio against RGB, measured in the same run
# (docs/benchmarks.md#pose-epochs). The time is the trainer's own per-epoch figure: the training steps and the waits
# for batches, without evaluation.
#
# Usage: scripts/bench-pose-epoch.sh [OUT] [--epochs N] [--set KEY=VALUE ...]
#   OUT        output folder (default runs/bench-pose-epoch); each input's run goes to OUT/<input>
#   --epochs   epochs per run (default 3); the times are the mean of the epochs after the first (its warm-up)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="" EPOCHS=3 SETS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --epochs) EPOCHS="$2"; shift 2 ;;
    --set) SETS+=(--set "$2"); shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
    -*) echo "bench-pose-epoch.sh: unknown option $1" >&2; exit 2 ;;
    *) OUT="$1"; shift ;;
  esac
done
[[ "$EPOCHS" =~ ^[0-9]+$ && "$EPOCHS" -ge 2 ]] || { echo "bench-pose-epoch.sh: --epochs expects an integer of at least 2, got '$EPOCHS'" >&2; exit 2; }
OUT="${OUT:-$REPO/runs/bench-pose-epoch}"
mkdir -p "$OUT"

# The trainer logs "epoch N: waited W s of T s for batches" after every epoch; T is the epoch's training time.
# The mean over the epochs after the first:
epoch_seconds() {
  sed -n "s/.*epoch \([0-9]*\): waited [0-9.]* s of \([0-9.]*\) s for batches.*/\1 \2/p" "$1/log.txt" |
    awk '$1 > 1 { s += $2; n++ } END { if (n) printf "%.2f", s / n }'
}

declare -A seconds
for input in rgb pose rgb+pose; do
  folder="$OUT/${input/+/-}"
  rm -rf "$folder"
  "$REPO/scripts/slt" finetune --config "$REPO/configs/synthetic/finetune.yaml" --run-dir "$folder" -q \
    --set "model.input=$input" --set "training.epochs=$EPOCHS" --set training.eval_every_epochs=1000 "${SETS[@]}" > /dev/null
  seconds[$input]=$(epoch_seconds "$folder")
  [[ -n "${seconds[$input]}" ]] || { echo "bench-pose-epoch.sh: no epoch time in $folder/log.txt" >&2; exit 1; }
done

echo "synthetic finetuning, mean of epochs 2..$EPOCHS, $(nproc) cores"
printf '%-10s %10s %14s\n' input seconds "speed vs rgb"
for input in rgb pose rgb+pose; do
  printf '%-10s %10.1f %13.2fx\n' "$input" "${seconds[$input]}" "$(awk -v a="${seconds[rgb]}" -v b="${seconds[$input]}" 'BEGIN { print a / b }')"
done
