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
#   --set KEY=VALUE       passed to every slt command (repeatable)
#   --no-docs             leave docs/ alone (the table stays in OUT)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$REPO/scripts/reproduce-common.sh"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
OUT="" SEED_COUNT=3 PRETRAIN_EPOCHS=2 FINETUNE_EPOCHS=4 SETS=() DOCS=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seeds) SEED_COUNT="$2"; shift 2 ;;
    --pretrain-epochs) PRETRAIN_EPOCHS="$2"; shift 2 ;;
    --finetune-epochs) FINETUNE_EPOCHS="$2"; shift 2 ;;
    --set) SETS+=(--set "$2"); shift 2 ;;
    --no-docs) DOCS=0; shift ;;
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
dotnet run "$REPO/scripts/pose-table.cs" -- --runs "$OUT" --compare "$OUT/compare.json" --conclusion "$OUT/conclusion.md" > "$OUT/table.md"
elapsed=$((SECONDS - started))
log "finished in $((elapsed / 60)) min $((elapsed % 60)) s; table: $OUT/table.md"
cat "$OUT/table.md"

# Training time per row (finetuning, all seeds): the trainer's own epoch times, without evaluation.
epoch_seconds() { sed -n 's/.*epoch [0-9]*: waited [0-9.]* s of \([0-9.]*\) s for batches.*/\1/p' "$@" | awk '{ s += $1; n++ } END { printf "%.1f", n ? s / n : 0 }'; }

if [[ $DOCS == 1 ]]; then
  doc="$REPO/docs/results-synthetic.md"
  section="$OUT/section.md"
  {
    echo "<!-- pose: begin -->"
    echo "## Pose keypoints"
    echo
    # Every step's own duration is in its .done marker, so a reproduction resumed over several sessions adds up right.
    total=$(find "$OUT" -name .done -exec cat {} + | awk '{ s += $1 } END { print s + 0 }')
    echo "Written by \`scripts/reproduce-pose.sh\` on $(date -u +%Y-%m-%d) ($(nproc) CPU cores, $((total / 60)) min $((total % 60)) s of training and evaluation)."
    echo "The same synthetic sign language and configs (pretrain.yaml → finetune.yaml, GFSLT-VLP without SignCL, ${PRETRAIN_EPOCHS} + ${FINETUNE_EPOCHS}"
    echo "epochs), $SEED_COUNT seeds (\`run.seed\` 1..$SEED_COUNT), with \`model.input\` set per row (docs/pose.md). The keypoints are the"
    echo "synthetic signer's, with the default detector imperfections (\`synthetic.pose\`: coordinate noise 0.01 of the signer's"
    echo "size, 5 % of joints dropped, 5 % with a low score). Test split; mean ± sample std over the seeds; SDR as above."
    echo
    cat "$OUT/table.md"
    echo
    echo "\\* p < 0.05: paired bootstrap (\`slt compare\`, 1000 resamples) of each row's test outputs of all seeds against RGB's."
    echo
    echo "Mean training epoch (finetuning, from the runs' logs, with whatever else the machine ran at the time;"
    echo "[benchmarks.md](benchmarks.md#pose-epochs) times the inputs on a quiet machine):"
    for definition in "${ROWS[@]}"; do
      read -r row _ <<< "$definition"
      echo "$row: $(epoch_seconds "$OUT/$row"/seed-*/finetune/log.txt) s;"
    done | paste -sd' ' | sed 's/;$/./'
    echo
    echo "### What the numbers show"
    echo
    cat "$OUT/conclusion.md"
    echo "<!-- pose: end -->"
  } > "$section"
  if grep -q '^<!-- pose: begin -->$' "$doc"; then
    sed -i '/^<!-- pose: begin -->$/,/^<!-- pose: end -->$/d' "$doc"
  fi
  printf '\n' >> "$doc"
  cat "$section" >> "$doc"
  log "wrote the pose section of $doc"
fi
