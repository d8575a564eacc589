#!/usr/bin/env bash
# bench/scriptblock-rss.sh — does the scriptblock handler leak per request? Serves { 'Hello, World!' } from a pwsh
# session (bench/PowerShellServer.ps1, pinned to CPU 0), warms it up with BENCH_WARMUP_REQUESTS, notes its RSS, then
# sends BENCH_REQUESTS more with wrk -c64 (pinned to CPU 1, in 20 s runs) and prints the RSS after every run.
# Issue 10's bar: RSS grows by at most 50 MB over 500,000 requests.
#     flock /tmp/httpsysps-build.lock bash bench/scriptblock-rss.sh
# Needs what bench/run.sh needs; run bench/run.sh with BENCH_SCENARIOS=scriptblock once first (it builds Release).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
WARMUP_REQUESTS=${BENCH_WARMUP_REQUESTS:-100000}
REQUESTS=${BENCH_REQUESTS:-500000}
PORT=${BENCH_PORT:-18180}
command -v wrk > /dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
dotnet tool restore > /dev/null
PWSH="$(dotnet pwsh -NoProfile -NonInteractive -Command '[IO.Path]::Combine($PSHOME, "pwsh")')"
LOG=$(mktemp)
taskset -c 0 "$PWSH" -NoProfile -NonInteractive -File bench/PowerShellServer.ps1 -Port "$PORT" -Handler ScriptBlock > "$LOG" 2>&1 < /dev/null &
SERVER=$!
trap 'kill $SERVER 2> /dev/null || true; rm -f "$LOG"' EXIT
URL="http://127.0.0.1:$PORT/plaintext"
for ((i = 0; i < 300; i++)); do
    curl -s -o /dev/null --max-time 1 "$URL" && break
    kill -0 $SERVER 2> /dev/null || { cat "$LOG" >&2; exit 1; }
    sleep 0.1
done
rss_mib() { awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER/status"; }
# run N: wrk in 20 s pieces until N requests were answered; prints the count.
run() {
    local want=$1 done=0 n
    while ((done < want)); do
        n=$(taskset -c 1 wrk -t1 -c64 -d20s "$URL" | awk '/requests in/ {print $1}')
        done=$((done + n))
        printf '  %8d requests, RSS %s MiB\n' "$done" "$(rss_mib)" >&2
    done
    echo "$done"
}
echo "warm-up ($WARMUP_REQUESTS requests):" >&2
run "$WARMUP_REQUESTS" > /dev/null
before=$(rss_mib)
echo "measured ($REQUESTS requests):" >&2
sent=$(run "$REQUESTS")
after=$(rss_mib)
echo "| requests after warm-up | RSS before (MiB) | RSS after (MiB) | growth (MiB) |"
echo "|---:|---:|---:|---:|"
echo "| $sent | $before | $after | $((after - before)) |"
