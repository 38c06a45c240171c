# Shared steps of scripts/reproduce-*.sh (sourced, not run): the paper's four rows
#   baseline          pretrain.yaml        -> finetune.yaml
#   signcl-pretrain   pretrain-signcl.yaml -> finetune.yaml
#   signcl-finetune   pretrain.yaml        -> finetune-signcl.yaml
#   signcl-both       pretrain-signcl.yaml -> finetune-signcl.yaml
# per seed: two pretraining runs, four finetuning runs (--init from the matching pretraining checkpoint), test
# evaluation and the sign density ratio of each finetuned model; then one paired-bootstrap comparison of every row
# against the baseline and the table (Markdown + JSON + SDR/BLEU-4 plot).
#
# Layout under OUT:
#   pretrain/<plain|signcl>/seed-S/        slt pretrain run folders
#   <row>/seed-S/finetune/                 slt finetune run folder
#   <row>/seed-S/eval/                     slt eval: report.json, hypotheses.txt, references.txt
#   <row>/seed-S/density/                  slt density: density.json, per-gloss CSV, feature-space PNG
#   <row>/hypotheses.txt, references.txt   the test outputs of all seeds, concatenated in seed order
#   compare.json, table.md, table.json, sdr-bleu4.png
# A step whose folder holds a .done marker is skipped, and an interrupted training run is resumed from its last
# checkpoint (slt pretrain|finetune --resume), so a rerun continues where the reproduction stopped.
#
# The caller sets before calling reproduce_rows:
#   REPO        repository root
#   CONFIGS     folder with pretrain.yaml, pretrain-signcl.yaml, finetune.yaml, finetune-signcl.yaml
#   OUT         output folder
#   DATASET     table name: csl-daily, phoenix2014t or synthetic
#   SEEDS       list of seeds (one run of every row per seed)
#   INIT_FROM   pretraining checkpoint finetuning starts from: best or last
#   SETS        array of --set key=value arguments for every slt command (data paths, device, ...)
#   TRAIN_SETS  array of extra --set arguments for training only (e.g. epochs)
#   PRETRAIN_SETS, FINETUNE_SETS  arrays of extra --set arguments for one stage only
#   DENSITY_ARGS array of extra arguments for slt density (e.g. --alignment FILE); DENSITY=0 skips the SDR
#   COMPARE_ARGS array of extra arguments for slt compare (e.g. --char-split)
#   NOTE        text printed under the table (how significance was computed)

ROWS=(baseline signcl-pretrain signcl-finetune signcl-both)

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

slt() { "$REPO/scripts/slt" "$@"; }

# Parses `DATA_DIR [OUT]` and the options the Phoenix and CSL scripts share (their usage texts list them); $1 is the
# script's name for messages, $2 is 1 when it takes --image-root. The caller defines usage().
parse_real_data_args() {
  local name="$1" takes_image_root="$2"
  shift 2
  DATA_DIR="" OUT="" CORRECTED=0 DEVICE=cuda IMAGE_ROOT="" MBART="" RESNET="" ALIGNMENT=""
  SEEDS=() USER_SETS=()
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --corrected) CORRECTED=1; shift ;;
      --device) DEVICE="$2"; shift 2 ;;
      --seed) SEEDS+=("$2"); shift 2 ;;
      --image-root) [[ "$takes_image_root" == 1 ]] || { echo "$name: unknown option $1" >&2; usage; }; IMAGE_ROOT="$2"; shift 2 ;;
      --mbart) MBART="$2"; shift 2 ;;
      --resnet) RESNET="$2"; shift 2 ;;
      --alignment) ALIGNMENT="$2"; shift 2 ;;
      --set) USER_SETS+=(--set "$2"); shift 2 ;;
      -h|--help) usage ;;
      -*) echo "$name: unknown option $1" >&2; usage ;;
      *) if [[ -z "$DATA_DIR" ]]; then DATA_DIR="$1"; elif [[ -z "$OUT" ]]; then OUT="$1"; else usage; fi; shift ;;
    esac
  done
  [[ -n "$DATA_DIR" ]] || usage
  [[ -d "$DATA_DIR" ]] || { echo "$name: $DATA_DIR: no such folder" >&2; exit 2; }
  DATA_DIR="$(cd "$DATA_DIR" && pwd)"
  [[ ${#SEEDS[@]} -gt 0 ]] || SEEDS=(0)
}

absolute() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }

# Real-data options shared by the Phoenix and CSL scripts: ImageNet ResNet-18 weights ($RESNET, or
# DATA_DIR/resnet18.{safetensors,pth}) go into SETS; a gloss alignment ($ALIGNMENT, default
# DATA_DIR/alignment.test.tsv) turns the SDR on. Without them the run goes on, with a warning.
use_resnet_and_alignment() {
  if [[ -z "$RESNET" ]]; then
    for candidate in "$DATA_DIR/resnet18.safetensors" "$DATA_DIR/resnet18.pth"; do [[ -f "$candidate" ]] && RESNET="$candidate" && break; done
  fi
  if [[ -n "$RESNET" ]]; then SETS+=(--set "model.visual.backbone_weights=$(absolute "$RESNET")")
  else log "warning: no ResNet-18 weights (--resnet FILE): the frame encoder starts from random weights, unlike the paper"; fi
  ALIGNMENT="${ALIGNMENT:-$DATA_DIR/alignment.test.tsv}"
  if [[ -f "$ALIGNMENT" ]]; then DENSITY=1; DENSITY_ARGS=(--alignment "$(absolute "$ALIGNMENT")")
  else DENSITY=0; DENSITY_ARGS=(); log "warning: no gloss alignment ($ALIGNMENT, or --alignment FILE): the SDR is not measured"; fi
}

# Runs "$@" unless the folder $1 already has a .done marker newer than that of the step it builds on (the folder
# named by --after); writes the marker on success. So a step whose input was redone is redone too.
step() {
  local folder="$1"; shift
  local after=""
  if [[ "${1:-}" == --after ]]; then after="$2"; shift 2; fi
  if [[ -f "$folder/.done" && ( -z "$after" || "$folder/.done" -nt "$after/.done" ) ]]; then
    log "skip (done): $folder"
    return 0
  fi
  log "run: $*"
  local started=$SECONDS
  "$@" || { local rc=$?; log "failed (exit $rc): $*"; return $rc; }
  mkdir -p "$folder"
  echo "$((SECONDS - started))" > "$folder/.done"
  log "done in $((SECONDS - started)) s: $folder"
}

# Trains into the run folder $2 with `slt $1 ...` unless it is done; an interrupted run (checkpoints/last present)
# continues with --resume, a run that died before its first checkpoint starts again.
# $3 names the run it starts from (--init), or "" for none: when that run was redone, this one is redone too.
train_step() {
  local stage="$1" folder="$2" after="$3"; shift 3
  local after_args=()
  [[ -n "$after" ]] && after_args=(--after "$after")
  if [[ -f "$folder/.done" && -n "$after" && ! "$folder/.done" -nt "$after/.done" ]]; then
    rm -rf "$folder"   # finished, but from an older version of its starting point
  fi
  if [[ ! -f "$folder/.done" && -d "$folder/checkpoints/last" ]]; then
    resume_step "$stage" "$folder" "${after_args[@]}"
    return
  fi
  [[ -f "$folder/.done" || ! -d "$folder" ]] || rm -rf "$folder"
  step "$folder" "${after_args[@]}" slt "$stage" "$@" --run-dir "$folder" && return 0
  [[ -d "$folder/checkpoints/last" ]] || return 1
  resume_step "$stage" "$folder" "${after_args[@]}"
}

# Continues the run in $2 from its last checkpoint, up to 3 times: a run that stopped with an error (for example the
# rare TorchSharp failure of docs/training.md#a-rare-internal-error) goes on where its last epoch ended.
resume_step() {
  local stage="$1" folder="$2" attempt; shift 2
  for attempt in 1 2 3; do
    log "resuming $folder from its last checkpoint (attempt $attempt)"
    step "$folder" "$@" slt "$stage" --resume "$folder" && return 0
  done
  return 1
}

pretrain_config() { [[ "$1" == signcl ]] && echo "$CONFIGS/pretrain-signcl.yaml" || echo "$CONFIGS/pretrain.yaml"; }

row_pretraining() { case "$1" in baseline|signcl-finetune) echo plain ;; *) echo signcl ;; esac; }
row_finetune_config() { case "$1" in baseline|signcl-pretrain) echo "$CONFIGS/finetune.yaml" ;; *) echo "$CONFIGS/finetune-signcl.yaml" ;; esac; }

reproduce_rows() {
  local seed kind row
  mkdir -p "$OUT"
  for seed in "${SEEDS[@]}"; do
    for kind in plain signcl; do
      local run="$OUT/pretrain/$kind/seed-$seed"
      train_step pretrain "$run" "" --config "$(pretrain_config "$kind")" \
        "${SETS[@]}" "${TRAIN_SETS[@]}" "${PRETRAIN_SETS[@]}" --set "run.seed=$seed"
    done
    for row in "${ROWS[@]}"; do
      local base="$OUT/$row/seed-$seed"
      local pretraining="$OUT/pretrain/$(row_pretraining "$row")/seed-$seed"
      train_step finetune "$base/finetune" "$pretraining" --config "$(row_finetune_config "$row")" \
        --init "$pretraining/checkpoints/$INIT_FROM" \
        "${SETS[@]}" "${TRAIN_SETS[@]}" "${FINETUNE_SETS[@]}" --set "run.seed=$seed"
      step "$base/eval" --after "$base/finetune" slt eval --checkpoint "$base/finetune/checkpoints/best" --split test --out "$base/eval" "${SETS[@]}"
      if [[ "${DENSITY:-1}" == 1 ]]; then
        step "$base/density" --after "$base/finetune" slt density --checkpoint "$base/finetune/checkpoints/best" --split test --out "$base/density" \
          "${DENSITY_ARGS[@]}" "${SETS[@]}"
      fi
    done
  done
  compare_rows
  write_table
}

# The significance test pairs the test outputs line by line, so each row's outputs of all seeds are concatenated in
# seed order; the references of the baseline are concatenated the same way (every row has the same test split).
compare_rows() {
  local row seed
  for row in "${ROWS[@]}"; do
    : > "$OUT/$row/hypotheses.txt"
    for seed in "${SEEDS[@]}"; do cat "$OUT/$row/seed-$seed/eval/hypotheses.txt" >> "$OUT/$row/hypotheses.txt"; done
  done
  : > "$OUT/references.txt"
  for seed in "${SEEDS[@]}"; do cat "$OUT/baseline/seed-$seed/eval/references.txt" >> "$OUT/references.txt"; done
  log "slt compare: every row against the baseline (paired bootstrap, 1000 resamples)"
  (cd "$OUT" && "$REPO/scripts/slt" compare --ref references.txt \
    --hyp baseline/hypotheses.txt --hyp signcl-pretrain/hypotheses.txt \
    --hyp signcl-finetune/hypotheses.txt --hyp signcl-both/hypotheses.txt \
    "${COMPARE_ARGS[@]}" --json > compare.json)
}

write_table() {
  local png=()
  [[ "${DENSITY:-1}" == 1 ]] && png=(--png "$OUT/sdr-bleu4.png")
  dotnet run "$REPO/scripts/reproduction-table.cs" -- --dataset "$DATASET" --runs "$OUT" --compare "$OUT/compare.json" \
    --md "$OUT/table.md" --json "$OUT/table.json" "${png[@]}" --note "$NOTE"
  log "table: $OUT/table.md (JSON: $OUT/table.json${png:+, plot: $OUT/sdr-bleu4.png})"
  cat "$OUT/table.md"
}
