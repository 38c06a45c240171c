#!/usr/bin/env bash
# Data-wait share of a training step (docs/benchmarks.md#data-loading): one finetuning epoch of
# configs/synthetic/finetune.yaml with its clips read four ways — rendered in memory, PNG frame files, .mp4 files
# decoded by FFmpeg per clip, and the frame cache of the .mp4 files — and the trainer's "data wait" log line of each.
#   scripts/bench-data-wait.sh [WORK_DIR]     (WORKERS=1 for data.prefetch.workers; the config's own is 1)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
slt="$repo/scripts/slt"
config="$repo/configs/synthetic/finetune.yaml"
work="${1:-$(mktemp -d -t slt-data-wait-XXXX)}"
workers="${WORKERS:-1}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"

[[ -f "$work/png/labels.test" ]] || "$slt" synth --out "$work/png" --config "$config" -q > /dev/null
[[ -f "$work/mp4/test.tsv" ]] || "$slt" synth --out "$work/mp4" --config "$config" --format mp4 -q > /dev/null

png=(--set data.kind=labels --set "data.root=$work/png" --set data.image_root=frames)
mp4=(--set data.kind=manifest --set "data.root=$work/mp4" --set data.files.train=train.tsv --set data.files.dev=dev.tsv --set data.files.test=test.tsv)
cache=("${mp4[@]}" --set "data.cache.folder=$work/mp4-cache")
start=$(date +%s.%N)
"$slt" data prepare --config "$config" "${cache[@]}" -q
echo "data-wait: slt data prepare of the .mp4 files took $(echo "$(date +%s.%N) - $start" | bc) s" >&2

run() {
    local name="$1" label="$2"; shift 2
    rm -rf "${work:?}/run-$name"
    "$slt" finetune --config "$config" "$@" --set training.epochs=1 --set training.eval_every_epochs=1000 \
        --set data.prefetch.workers="$workers" --run-dir "$work/run-$name" > /dev/null 2>&1
    printf '%-22s %s\n' "$label" "$(grep -o 'waited .*' "$work/run-$name/log.txt" | head -1)"
}
run memory "in memory (synthetic)"
run png "PNG frame files" "${png[@]}"
run mp4 "mp4, FFmpeg per clip" "${mp4[@]}"
run mp4-cache "mp4, frame cache" "${cache[@]}"
