#!/usr/bin/env bash
# Reproduces the SignCL paper's Phoenix-2014T table (paper Table 2; docs/reference.md#s9.2): GFSLT-VLP, + SignCL in
# pretraining, + SignCL in finetuning, + SignCL in both — two pretraining runs, four finetuning runs, test
# evaluation and sign density ratio — ending in one table beside the paper's numbers. Needs the dataset and GPUs:
# the recipe is 80 + 200 epochs per row (docs/reproducing.md has the run times).
#
# Usage: scripts/reproduce-phoenix2014t.sh DATA_DIR [OUT] [options]
#   DATA_DIR          labels.train|dev|test (GFSLT-VLP labels files) and the frames under DATA_DIR/<image root>
#   OUT               output folder (default runs/reproduce-phoenix2014t, or ...-corrected)
#   --corrected       use configs/phoenix2014t/corrected/ (reference bugs fixed) instead of the faithful configs
#   --device DEV      cuda (default), cuda:N or cpu
#   --seed N          seed of every run (repeatable: one run of every row per seed; default 0, the reference's)
#   --image-root DIR  frame folder the labels' imgs_path are relative to (default: the config's
#                     PHOENIX-2014-T/features/fullFrame-210x260px under DATA_DIR)
#   --mbart DIR       trimmed mBART-cc25 folder from `slt import mbart` (sentencepiece.bpe.model + weights);
#                     default DATA_DIR/mbart-trimmed
#   --resnet FILE     ImageNet ResNet-18 weights; default DATA_DIR/resnet18.pth or .safetensors when present
#   --alignment FILE  gloss alignment of the test split for the SDR (format: docs/reproducing.md); default
#                     DATA_DIR/alignment.test.tsv when present, else the SDR column stays empty
#   --set KEY=VALUE   passed to every slt command (repeatable), e.g. --set training.epochs=10 for a smoke run
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$REPO/scripts/reproduce-common.sh"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

parse_real_data_args reproduce-phoenix2014t.sh 1 "$@"
for split in train dev test; do
  [[ -f "$DATA_DIR/labels.$split" ]] || { echo "reproduce-phoenix2014t.sh: $DATA_DIR/labels.$split: not found (GFSLT-VLP labels files expected)" >&2; exit 2; }
done

DATASET=phoenix2014t
if [[ $CORRECTED == 1 ]]; then
  CONFIGS="$REPO/configs/phoenix2014t/corrected"; INIT_FROM=best; OUT="${OUT:-$REPO/runs/reproduce-phoenix2014t-corrected}"
else
  # The GFSLT-VLP README finetunes from the last VLP checkpoint, not the best (docs/reference.md#s7.5).
  CONFIGS="$REPO/configs/phoenix2014t"; INIT_FROM=last; OUT="${OUT:-$REPO/runs/reproduce-phoenix2014t}"
fi
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"

SETS=(--set "data.root=$DATA_DIR" --set "run.device=$DEVICE")
[[ -n "$IMAGE_ROOT" ]] && SETS+=(--set "data.image_root=$(cd "$IMAGE_ROOT" && pwd)")
MBART="${MBART:-$DATA_DIR/mbart-trimmed}"
if [[ -f "$MBART/sentencepiece.bpe.model" ]]; then
  SETS+=(--set "data.tokenizer.model_file=$(cd "$MBART" && pwd)/sentencepiece.bpe.model")
else
  echo "reproduce-phoenix2014t.sh: $MBART/sentencepiece.bpe.model not found: pass --mbart DIR (the trimmed mBART asset)" >&2; exit 2
fi
if compgen -G "$MBART/*.safetensors" > /dev/null; then
  SETS+=(--set "model.mbart_weights=$(cd "$MBART" && pwd)")
else
  log "warning: no weights in $MBART (run slt import mbart): the text side starts from random weights, unlike the paper"
fi
use_resnet_and_alignment
SETS+=("${USER_SETS[@]}")
TRAIN_SETS=() PRETRAIN_SETS=() FINETUNE_SETS=()
COMPARE_ARGS=()
NOTE="p-values: paired bootstrap (slt compare, 1000 resamples, seed 12345) of each row's test outputs against the baseline's, word-level 13a BLEU-4 and ROUGE-L; with several seeds the outputs of all seeds are concatenated."

log "Phoenix-2014T reproduction: configs $CONFIGS, output $OUT, seeds ${SEEDS[*]}, device $DEVICE"
reproduce_rows
