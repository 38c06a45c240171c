#!/usr/bin/env bash
# Load check of `slt serve` (docs/benchmarks.md#slt-serve): starts the server on loopback with CHECKPOINT, sends
# REQUESTS uploads of CLIP from CLIENTS concurrent clients (curl), and reports failures, latency and the server's
# memory (resident set size, sampled every 0.2 s) after a warm-up request, then every 50 requests.
# Usage: scripts/serve-load.sh CHECKPOINT CLIP [REQUESTS=200] [CLIENTS=4] [PORT=18181]
set -euo pipefail

checkpoint="$1"; clip="$2"; requests="${3:-200}"; clients="${4:-4}"; port="${5:-18181}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
"$repo/scripts/slt" --help > /dev/null   # builds once, before anything is timed

"$repo/scripts/slt" serve --checkpoint "$checkpoint" --port "$port" > "$work/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2> /dev/null || true; wait "$server" 2> /dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
url="http://127.0.0.1:$port"
for _ in $(seq 1 300); do
    curl -sf "$url/api/info" > /dev/null && break
    sleep 0.2
done

rss() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status"; }
upload() { curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -F "clip=@$clip" "$url/api/translate"; }
export -f upload; export clip url

upload > /dev/null   # warm-up: first-call costs are not load
echo "rss after warm-up: $(rss) MiB"
( while kill -0 "$server" 2> /dev/null; do rss >> "$work/rss"; echo >> "$work/rss"; sleep 0.2; done ) &
sampler=$!
start=$(date +%s.%N)
for (( done_ = 0; done_ < requests; done_ += 50 )); do
    batch=$(( requests - done_ < 50 ? requests - done_ : 50 ))
    seq 1 "$batch" | xargs -P "$clients" -I{} bash -c upload >> "$work/results"
    echo "rss after $(( done_ + batch )) requests: $(rss) MiB"
done
seconds=$(echo "$(date +%s.%N) - $start" | bc)
kill "$sampler" 2> /dev/null || true

ok=$(awk '$1 == 200' "$work/results" | wc -l)
echo "requests: $(wc -l < "$work/results"), ok (200): $ok, failed: $(( $(wc -l < "$work/results") - ok ))"
awk '$1 != 200 { print "  failure: HTTP " $1 }' "$work/results" | sort | uniq -c
printf 'throughput: %.2f requests/s over %.1f s with %d clients\n' "$(echo "$requests / $seconds" | bc -l)" "$seconds" "$clients"
sort -n -k2 "$work/results" | awk '{ t[NR] = $2 } END { printf "latency (s): median %.3f, p90 %.3f, max %.3f\n", t[int(NR/2)+1], t[int(NR*0.9)], t[NR] }'
grep -v '^$' "$work/rss" | sort -n | awk '{ m[NR] = $1 } END { printf "rss during load (MiB): min %d, max %d\n", m[1], m[NR] }'
echo "server still answering: $(curl -s -o /dev/null -w '%{http_code}' "$url/api/info")"
