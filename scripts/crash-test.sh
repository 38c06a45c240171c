#!/usr/bin/env bash
# Crash test of training runs (docs/training.md, "Crash test"): trains a short synthetic finetuning once without
# interruption, then trains it again while killing it with SIGKILL at random instants — KILLS times in all (default
# 20), half after a random delay, half right after a random file operation of a checkpoint write or recovery
# (SLT_CRASH_TEST_KILL_AT, the instants a delay rarely hits) — plus a few SIGTERMs (Ctrl+C's path: a mid-epoch
# checkpoint), resuming after each until the run finishes; a run that finishes before the kills are used up is
# checked and a new one started. Every finished run must equal the uninterrupted one: the SHA-256 of its final
# weights, its metrics.jsonl (timestamps and durations aside), its test BLEU-4, and no leftover files.
# Prints one verdict line and exits non-zero on any difference.
#
# Usage: scripts/crash-test.sh [KILLS] [--terms N] [--seed S] [--keep]
#   --terms N  SIGTERMs besides the kills (default 4)    --seed S  seed of the random instants (default: random)
#   --keep     keep the run folders (kept anyway on failure)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kills=20 terms=4 keep=0 seed=$RANDOM
while [[ $# -gt 0 ]]; do
  case "$1" in
    --terms) terms="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) kills="$1"; shift ;;
  esac
done
RANDOM=$seed

# Built before the clock starts, so that no kill lands in a build.
"$repo/scripts/slt" --version >/dev/null
slt="$repo/src/SignTranslate.Cli/bin/Release/net10.0/$(case "$(uname -s)" in Darwin) echo osx-arm64 ;; *) echo linux-x64 ;; esac)/slt"
work="$(mktemp -d "${TMPDIR:-/tmp}/slt-crash-test.XXXXXX")"
started=$SECONDS
config="$repo/configs/synthetic/finetune.yaml"
# Four short epochs of 10 steps, a dev evaluation (and usually a new best) after each: about 10 s on 2 cores.
sets=(--set synthetic.train_samples=160 --set synthetic.dev_samples=16 --set synthetic.test_samples=16
      --set training.epochs=4 --set training.eval_every_epochs=1 --set training.log_every_steps=2
      --set eval.num_beams=2 --set eval.max_new_tokens=20)

say() { echo "crash-test: $*" >&2; }
fail() {
  echo "crash-test: FAIL — $* (seed $seed, run folders kept in $work)"
  exit 1
}

# What must match, of a finished run: weights hash, metrics without timestamps/durations, test BLEU-4.
weights_hash() { sha256sum "$1/checkpoints/last/model.safetensors" | cut -d' ' -f1; }
metrics_of() { sed -E 's/"[a-z_]*(time|seconds|duration)[a-z_]*":[^,}]*,?//g' "$1/metrics.jsonl"; }
test_bleu() {
  "$slt" eval --checkpoint "$1/checkpoints/best" --split test --json -q | sed -nE 's/^ *"bleu4": *([0-9.eE+-]+),?$/\1/p'
}

# Nothing but the last and best links and the two folders they name, one TensorBoard file, no temporary file.
leftovers() {
  local run="$1" entry expected
  expected=" last best $(readlink "$run/checkpoints/last") $(readlink "$run/checkpoints/best") "
  for entry in $(ls -A "$run/checkpoints"); do
    [[ "$expected" == *" $entry "* ]] || echo "checkpoints/$entry"
  done
  find "$run" -name '*.tmp*' -printf '%P\n'
  [[ $(ls -A "$run/tensorboard" | wc -l) -eq 1 ]] || echo "tensorboard: $(ls -A "$run/tensorboard" | wc -l) event files"
}

say "uninterrupted run (seed $seed, folders in $work)"
clock=$SECONDS
"$slt" finetune --config "$config" "${sets[@]}" --run-dir "$work/uninterrupted" -q >/dev/null
length=$((SECONDS - clock + 1))
expected_hash="$(weights_hash "$work/uninterrupted")"
expected_bleu="$(test_bleu "$work/uninterrupted")"
metrics_of "$work/uninterrupted" >"$work/uninterrupted.metrics"
[[ -z "$(leftovers "$work/uninterrupted")" ]] || fail "the uninterrupted run left: $(leftovers "$work/uninterrupted")"

check() {
  local run="$1" left
  [[ "$(weights_hash "$run")" == "$expected_hash" ]] || fail "$run: final weights differ from the uninterrupted run's"
  metrics_of "$run" | cmp -s - "$work/uninterrupted.metrics" || fail "$run: metrics.jsonl differs from the uninterrupted run's"
  [[ "$(test_bleu "$run")" == "$expected_bleu" ]] || fail "$run: test BLEU-4 $(test_bleu "$run") instead of $expected_bleu"
  left="$(leftovers "$run")"
  [[ -z "$left" ]] || fail "$run: left behind: $(echo $left)"
}

runs=0 killed=0 timed=0 hooked=0 termed=0 run=""
while true; do
  if [[ -z "$run" ]]; then
    runs=$((runs + 1))
    run="$work/killed-$runs"
  fi
  if [[ -f "$run/config.yaml" ]]; then args=(finetune --resume "$run" -q); else args=(finetune --config "$config" "${sets[@]}" --run-dir "$run" -q); fi
  # The kind of this attempt: a SIGKILL at a random file operation or after a random delay, a SIGTERM, or none once
  # every signal is spent (the run is then resumed to its end).
  kind=none
  if (( killed < kills || termed < terms )); then
    pick=$((RANDOM % (kills - killed + terms - termed)))
    if (( pick < terms - termed )); then kind=term
    elif (( hooked <= timed )); then kind=operation
    else kind=delay; fi
  fi
  tenths=$((RANDOM % (length * 10) + 3))
  delay="$((tenths / 10)).$((tenths % 10))"
  if [[ "$kind" == operation ]]; then
    SLT_CRASH_TEST_KILL_AT=$((RANDOM % 45 + 1)) "$slt" "${args[@]}" >"$work/out" 2>"$work/err" &
  else
    "$slt" "${args[@]}" >"$work/out" 2>"$work/err" &
  fi
  pid=$!
  if [[ "$kind" == delay || "$kind" == term ]]; then
    sleep "$delay"
    kill "-$([[ "$kind" == term ]] && echo TERM || echo KILL)" "$pid" 2>/dev/null || true
  fi
  status=0
  # (bash reports a killed job on its own stderr when reaping it; the script says what happened itself)
  { wait "$pid"; } 2>/dev/null || status=$?
  case "$status" in
    137)
      killed=$((killed + 1))
      if [[ "$kind" == operation ]]; then
        hooked=$((hooked + 1))
        say "kill $killed/$kills: $(sed -n 's/^SLT_CRASH_TEST_KILL_AT: //p' "$work/err") ($(basename "$run"))"
      else
        timed=$((timed + 1))
        say "kill $killed/$kills: after $delay s ($(basename "$run"))"
      fi ;;
    130|143)
      # 143: the signal came before .NET had installed its handler, and ended the process like a kill.
      termed=$((termed + 1))
      say "SIGTERM $termed/$terms after $delay s ($(basename "$run")): $(grep -o 'Interrupted [^:]*' "$work/err" || echo "exit $status before a new step: nothing new to write")" ;;
    0)
      check "$run"
      say "$(basename "$run") finished and equals the uninterrupted run"
      run=""
      (( killed < kills || termed < terms )) || break ;;
    *)
      fail "$(basename "$run"): slt exited with $status: $(tail -3 "$work/err" | tr '\n' ' ')" ;;
  esac
done

elapsed=$((SECONDS - started))
echo "crash-test: PASS — $killed kill -9 ($hooked inside checkpoint file operations, $timed at random times) and $termed SIGTERM over $runs run(s), each resumed to its end: final weights sha256 ${expected_hash:0:16}…, metrics.jsonl and test BLEU-4 $expected_bleu equal to the uninterrupted run's, no leftover files; $((elapsed / 60))m$((elapsed % 60))s (seed $seed)"
if [[ $keep == 0 ]]; then rm -rf "$work"; fi
