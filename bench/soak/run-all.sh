#!/usr/bin/env bash
# bench/soak/run-all.sh — the four soak runs one after the other (slowloris, fuzz, idle, slowread), then all their
# tables and one summary line per run. Exit 0 when every bar was met, 1 when one was not, 2 when a run failed to run.
# About 8 minutes here (fuzz 1.5-2.5). On the shared machines run it inside the build lock:
#
#     flock /tmp/httpsysps-build.lock bash bench/soak/run-all.sh
#
# SOAK_ONLY="fuzz idle" runs a subset; every knob of the single scripts passes through (see bench/README.md).
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
export SOAK_RESULTS=${SOAK_RESULTS:-"$REPO/bench/results/soak-$(date +%Y%m%d-%H%M%S)"}
mkdir -p "$SOAK_RESULTS"
ln -sfn "$(basename "$SOAK_RESULTS")" "$REPO/bench/results/soak-latest" 2> /dev/null || true
RUNS=${SOAK_ONLY:-slowloris fuzz idle slowread}

declare -A RC SECS
worst=0
for name in $RUNS; do
    [[ -f $HERE/$name.sh ]] || { echo "run-all: no bench/soak/$name.sh" >&2; exit 2; }
    echo "[run-all] $name ($(date -u +%H:%M:%S) UTC)" >&2
    start=$SECONDS
    # Each run is bounded by its own limits; this outer timeout is the backstop (fuzz: 900 s of sending at most).
    timeout --kill-after=30 1500 bash "$HERE/$name.sh" > "$SOAK_RESULTS/$name.stdout" 2> "$SOAK_RESULTS/$name.stderr"
    rc=$?
    RC[$name]=$rc
    SECS[$name]=$((SECONDS - start))
    ((rc == 0)) || tail -n 5 "$SOAK_RESULTS/$name.stderr" >&2
    if ((rc == 1 && worst == 0)); then worst=1; fi
    if ((rc != 0 && rc != 1)); then worst=2; fi
done

for name in $RUNS; do
    echo
    cat "$SOAK_RESULTS/$name.stdout"
done
echo
echo "### soak summary"
echo
echo "| run | bar | exit | minutes |"
echo "|---|---|---:|---:|"
for name in $RUNS; do
    case ${RC[$name]} in
        0) v=met ;;
        1) v="**not met**" ;;
        124 | 137) v="**timed out**" ;;
        *) v="**run failed** (see $name.stderr)" ;;
    esac
    printf '| %s | %s | %s | %.1f |\n' "$name" "$v" "${RC[$name]}" "$(awk -v s="${SECS[$name]}" 'BEGIN {print s / 60}')"
done
echo
echo "logs: $SOAK_RESULTS"
exit "$worst"
