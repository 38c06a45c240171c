#!/usr/bin/env bash
# Reproduces the SignCL paper's CSL-Daily table (SignCL README main table = paper Table 3; docs/reference.md#s9.1):
# GFSLT-VLP, + SignCL in pretraining, + SignCL in finetuning, + SignCL in both — two pretraining runs, four
# finetuning runs, test evaluation and sign density ratio — ending in one table beside the paper's numbers. Needs
# the dataset and GPUs: the recipe is 80 + 200 epochs per row with a 12-layer decoder (docs/reproducing.md).
#
# Usage: scripts/reproduce-csl-daily.sh DATA_DIR [OUT] [options]
#   DATA_DIR          the CSL-Daily release: sentence_label/csl2020ct_v2.pkl, sentence_label/split_1.txt and the
#                     frames under sentence/frames_512x512 (data.kind csl_daily, docs/datasets.md)
#   OUT               output folder (default runs/reproduce-csl-daily, or ...-corrected)
#   --corrected       use configs/csl-daily/corrected/ (reference bugs fixed) instead of the faithful configs
#   --device DEV      cuda (default), cuda:N or cpu
#   --seed N          seed of every run (repeatable: one run of every row per seed; default 0, the reference's)
#   --mbart DIR       a char-level trimmed mBART folder (sentencepiece.bpe.model + weights from `slt import mbart`),
#                     as the reference used (not published); default: DATA_DIR/mbart-trimmed when present, else the
#                     self-contained `characters` tokenizer with a randomly initialised decoder
#   --resnet FILE     ImageNet ResNet-18 weights; default DATA_DIR/resnet18.pth or .safetensors when present
#   --alignment FILE  gloss alignment of the test split for the SDR (format: docs/reproducing.md); default
#                     DATA_DIR/alignment.test.tsv when present, else the SDR column stays empty
#   --set KEY=VALUE   passed to every slt command (repeatable), e.g. --set training.epochs=10 for a smoke run
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$REPO/scripts/reproduce-common.sh"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

parse_real_data_args reproduce-csl-daily.sh 0 "$@"
for file in sentence_label/csl2020ct_v2.pkl sentence_label/split_1.txt; do
  [[ -f "$DATA_DIR/$file" ]] || { echo "reproduce-csl-daily.sh: $DATA_DIR/$file: not found (the CSL-Daily release expected)" >&2; exit 2; }
done

DATASET=csl-daily
INIT_FROM=best   # SignCL's CSL finetuning starts from the best (lowest dev CLIP loss) VLP checkpoint, docs/reference.md#s5.2
if [[ $CORRECTED == 1 ]]; then CONFIGS="$REPO/configs/csl-daily/corrected"; OUT="${OUT:-$REPO/runs/reproduce-csl-daily-corrected}"
else CONFIGS="$REPO/configs/csl-daily"; OUT="${OUT:-$REPO/runs/reproduce-csl-daily}"; fi
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"

SETS=(--set "data.root=$DATA_DIR" --set "run.device=$DEVICE")
MBART="${MBART:-$DATA_DIR/mbart-trimmed}"
if [[ -f "$MBART/sentencepiece.bpe.model" ]]; then
  MBART="$(cd "$MBART" && pwd)"
  SETS+=(--set data.tokenizer.kind=sentence_piece --set "data.tokenizer.model_file=$MBART/sentencepiece.bpe.model")
  if compgen -G "$MBART/*.safetensors" > /dev/null; then SETS+=(--set "model.mbart_weights=$MBART")
  else log "warning: no weights in $MBART (run slt import mbart): the text side starts from random weights, unlike the paper"; fi
else
  log "warning: no char-level mBART asset (--mbart DIR): characters tokenizer, text side from random weights, unlike the paper"
fi
use_resnet_and_alignment
SETS+=("${USER_SETS[@]}")
TRAIN_SETS=() PRETRAIN_SETS=() FINETUNE_SETS=()
# The paper's CSL-Daily scores are character-level: both sides split into characters, then 13a (docs/reference.md#s7.3).
COMPARE_ARGS=(--char-split)
NOTE="p-values: paired bootstrap (slt compare --char-split, 1000 resamples, seed 12345) of each row's test outputs against the baseline's, character-level BLEU-4 and ROUGE-L; with several seeds the outputs of all seeds are concatenated."

log "CSL-Daily reproduction: configs $CONFIGS, output $OUT, seeds ${SEEDS[*]}, device $DEVICE"
reproduce_rows
