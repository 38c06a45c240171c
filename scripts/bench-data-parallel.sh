#!/usr/bin/env bash
# Steps per second of one process against N data-parallel processes on this machine, training the same thing: one
# process with run.threads=T, micro-batch B and accumulate_steps N, against `mpirun -np N` with run.threads=T/N and
# micro-batch B each (docs/distributed.md). Alternates the two (A B A B ...) so that drifts of a shared machine hit both;
# prints each run's training time (the epoch's step loop, from the run log: no start-up, no dev evaluation), then the
# all-reduce of the paper-size gradient (216 M float32 values) through `slt bench allreduce`, over shared memory and
# over TCP on the loopback interface.
#
# Usage: scripts/bench-data-parallel.sh [--processes 2] [--threads 2] [--batch 16] [--steps 15] [--rounds 2]
#                                       [--config configs/synthetic/finetune.yaml]
# SKIP_ALLREDUCE=1 leaves out the all-reduce measurements.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
processes=2 threads=2 batch=16 steps=15 rounds=2 config="$repo/configs/synthetic/finetune.yaml"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --processes) processes="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --config) config="$2"; shift 2 ;;
    *) echo "bench-data-parallel.sh: unknown option $1 (see the usage at the top of the script)" >&2; exit 2 ;;
  esac
done
"$repo/scripts/setup.sh"
"$repo/scripts/slt" --help > /dev/null   # build once, before mpirun starts several processes
slt="$repo/src/SignTranslate.Cli/bin/Release/net10.0/linux-x64/slt"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
common=(--config "$config" --set training.epochs=1 --set "training.max_steps_per_epoch=$steps" --set "training.batch_size=$batch"
        --set training.eval_max_samples=8 --set training.log_every_steps=1000)
per_process=$(( threads / processes > 0 ? threads / processes : 1 ))

# The step loop's seconds, from the line "epoch 1: waited W s of T s for batches".
loop_seconds() { sed -n 's/.*epoch 1: waited [0-9.]* s of \([0-9.]*\) s for batches.*/\1/p' "$1/log.txt" | tail -1; }

for round in $(seq 1 "$rounds"); do
  one="$work/one-$round"
  "$slt" finetune "${common[@]}" --run-dir "$one" --set "run.threads=$threads" --set "training.accumulate_steps=$processes" > /dev/null 2>&1
  t=$(loop_seconds "$one")
  echo "round $round: 1 process, $threads threads, $processes x $batch videos per step: $steps steps in $t s = $(awk -v s="$steps" -v t="$t" 'BEGIN { printf "%.3f", s / t }') steps/s"
  many="$work/many-$round"
  mpirun --allow-run-as-root --oversubscribe -np "$processes" "$slt" finetune "${common[@]}" --run-dir "$many" --set "run.threads=$per_process" > /dev/null 2>&1
  t=$(loop_seconds "$many")
  echo "round $round: $processes processes, $per_process thread(s) each, $batch videos each per step: $steps steps in $t s = $(awk -v s="$steps" -v t="$t" 'BEGIN { printf "%.3f", s / t }') steps/s"
done
echo "all-reduce, Open MPI's default transport on one machine (shared memory):"
[[ "${SKIP_ALLREDUCE:-}" ]] || mpirun --allow-run-as-root --oversubscribe -np "$processes" "$slt" bench allreduce --parameters 216175169 --tensors 300 --repeats 5
echo "all-reduce, TCP over the loopback interface (what two machines would use, without the wire):"
mpirun --allow-run-as-root --oversubscribe --mca pml ob1 --mca btl tcp,self --mca btl_tcp_if_include lo -np "$processes" \
  "$slt" bench allreduce --parameters 216175169 --tensors 300 --repeats 5
