#!/usr/bin/env bash
# The paper-size training step, SignTranslate against PyTorch, measured side by side on this machine.
#
# Each round runs, for each stage, `slt bench step` (plain, then with the memory savers on) and
# scripts/bench-step-pytorch.py with the same shapes, one after the other (A B A B ...), so that drifts of the machine
# hit every side alike. Prints a markdown table of the medians over the rounds with the ratios against PyTorch, and
# keeps every JSON line under the output folder. A benchmark, never a test: a round of both stages takes about ten
# minutes on 2 cores.
#
# Usage: scripts/bench-step.sh [--rounds 3] [--steps 3] [--threads 2] [--stages "finetune pretrain"] [--without-savers]
#                              [--out DIR]
# Needs Debian's python3-torch and libopenblas0-pthread (sudo apt-get install python3-torch libopenblas0-pthread).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3 steps=3 threads=2 stages="finetune pretrain" out="" with_savers=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --stages) stages="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --without-savers) with_savers=0; shift ;;
    *) echo "bench-step.sh: unknown option $1 (see the usage at the top of the script)" >&2; exit 2 ;;
  esac
done
python=/usr/bin/python3
if ! "$python" -c "import torch" 2>/dev/null; then
  echo "bench-step.sh: $python has no torch; install Debian's: sudo apt-get install python3-torch libopenblas0-pthread" >&2
  exit 2
fi
out="${out:-$repo/runs/bench-step-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
results="$out/results.jsonl"
: > "$results"

savers=(--set model.memory.checkpoint_frame_cnn=true --set model.memory.checkpoint_transformer_layers=true)
run_slt() {   # stage variant [--set ...]
  local stage="$1" variant="$2"; shift 2
  "$repo/scripts/slt" bench step --config "$repo/configs/phoenix2014t/$stage.yaml" --stage "$stage" --steps "$steps" \
    --set run.device=cpu --set "run.threads=$threads" "$@" --json 2>>"$out/log.txt" |
    "$python" -c "import json,sys; r=json.loads(sys.stdin.read()); r['variant']='$variant'; print(json.dumps(r))" >> "$results"
}
run_pytorch() {   # stage
  "$python" "$repo/scripts/bench-step-pytorch.py" --stage "$1" --steps "$steps" --threads "$threads" 2>>"$out/log.txt" |
    "$python" -c "import json,sys; r=json.loads(sys.stdin.read()); r['variant']='default'; print(json.dumps(r))" >> "$results"
}

"$repo/scripts/slt" --version > /dev/null   # builds once, outside the timed runs
for round in $(seq 1 "$rounds"); do
  for stage in $stages; do
    echo "round $round/$rounds, $stage: SignTranslate" >&2; run_slt "$stage" default
    echo "round $round/$rounds, $stage: PyTorch" >&2; run_pytorch "$stage"
    if [[ $with_savers == 1 ]]; then
      echo "round $round/$rounds, $stage: SignTranslate, memory savers on" >&2; run_slt "$stage" savers "${savers[@]}"
    fi
  done
done

"$python" - "$results" "$rounds" "$steps" "$threads" <<'EOF'
import json, statistics, sys
path, rounds, steps, threads = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
rows = [json.loads(line) for line in open(path)]
def median(stage, implementation, variant, key):
    values = [r[key] for r in rows if r["stage"] == stage and r["implementation"] == implementation and r["variant"] == variant]
    return statistics.median(values) if values else None
print(f"Median over {rounds} alternating rounds (each the median of {steps} timed steps after 1 warm-up), "
      f"{threads} threads, float32, batch 2 x 80 frames (96 after collation) at 224 px, 20 tokens.\n")
print("| stage | implementation | step s | forward s | backward s | optimizer s | peak RSS MB | step ratio | memory ratio |")
print("|---|---|---|---|---|---|---|---|---|")
for stage in dict.fromkeys(r["stage"] for r in rows):
    reference_step = median(stage, "pytorch", "default", "step_ms")
    reference_rss = median(stage, "pytorch", "default", "peak_rss_mb")
    for implementation, variant, label in [("pytorch", "default", "PyTorch 1.13"), ("signtranslate", "default", "SignTranslate"),
                                           ("signtranslate", "savers", "SignTranslate, checkpointing on")]:
        step = median(stage, implementation, variant, "step_ms")
        if step is None:
            continue
        parts = [median(stage, implementation, variant, k) / 1000 for k in ("forward_ms", "backward_ms", "optimizer_ms")]
        rss = median(stage, implementation, variant, "peak_rss_mb")
        print(f"| {stage} | {label} | {step / 1000:.2f} | {parts[0]:.2f} | {parts[1]:.2f} | {parts[2]:.2f} | {rss:.0f} | "
              f"{step / reference_step:.2f}x | {rss / reference_rss:.2f}x |")
EOF
echo "every measurement: $results" >&2
