# bench/soak/lib.sh — shared by the soak scripts in bench/soak/ (sourced, not run). See bench/README.md, "Soak runs".
#
# Knobs (environment): SOAK_SERVER_CPU=0 SOAK_CLIENT_CPU=1 (taskset CPU lists), SOAK_PORT=19080 (first port tried),
# SOAK_SKIP_BUILD=1 (use the Release builds already there; default: an incremental Release build every run), SOAK_PYTHON=/usr/bin/python3,
# SOAK_RESULTS=DIR (where logs go; default bench/results/soak-<time>/).
# Exit codes of every soak script: 0 = the bar was met, 1 = it was not, 2 = the run itself failed (tool missing,
# build failed, server did not start).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"

PY=${SOAK_PYTHON:-/usr/bin/python3}
SERVER_CPU=${SOAK_SERVER_CPU:-0}
CLIENT_CPU=${SOAK_CLIENT_CPU:-1}
NEXT_PORT=${SOAK_PORT:-19080}
HOST_DLL="src/HttpSysPS.Host/bin/Release/net8.0/httpsys.dll"
HELLO_DLL="samples/HelloHandler/bin/Release/net8.0/HelloHandler.dll"
HELLO_TYPE="HelloHandler.HelloHandler"
CATALOG_TYPE="HelloHandler.CatalogHandler"
KESTREL_DLL="bench/KestrelPeer/bin/Release/net10.0/KestrelPeer.dll"
SOAK_NAME=$(basename "$0" .sh)

if [[ -z ${SOAK_RESULTS:-} ]]; then
    SOAK_RESULTS="$REPO/bench/results/soak-$(date +%Y%m%d-%H%M%S)"
fi
mkdir -p "$SOAK_RESULTS"
OUT="$SOAK_RESULTS/$SOAK_NAME"   # prefix of this script's files

log() { printf '[%s] %s\n' "$SOAK_NAME" "$*" >&2; }
die() { printf '[%s] error: %s\n' "$SOAK_NAME" "$*" >&2; exit 2; }

APT_LOG="$OUT.apt.log"
source "$REPO/bench/need-apt.sh"
source "$REPO/bench/ports.sh"
need_apt curl curl
need_apt taskset util-linux
command -v dotnet > /dev/null 2>&1 || die "dotnet (the .NET SDK) is required"
[[ -x $PY ]] || die "$PY is required (Debian's python3)"
if (($(nproc) < 2)); then
    log "warning: fewer than 2 CPUs; server and clients share CPU $SERVER_CPU"
    CLIENT_CPU=$SERVER_CPU
fi

# build_release [kestrel]: Release builds of the host and the sample handler (and the Kestrel peer), every run (an
# incremental build takes seconds; a stale binary once made a soak measure old code), unless SOAK_SKIP_BUILD=1 and
# they exist. On the shared machines the whole soak run is inside the build lock, so this does not race.
build_release() {
    local want_kestrel=${1:-}
    build_one() { # $1 project, $2 output that must exist afterwards
        if [[ ${SOAK_SKIP_BUILD:-0} != 1 || ! -f $2 ]]; then
            log "building $1 (Release)"
            timeout 900 dotnet build "$1" -c Release --disable-build-servers -nologo > "$OUT.build-$(basename "$1").log" 2>&1 \
                || die "$1 does not build (see $OUT.build-$(basename "$1").log)"
        fi
        [[ -f $2 ]] || die "$2 missing after the build"
    }
    build_one src/HttpSysPS.Host "$HOST_DLL"
    build_one samples/HelloHandler "$HELLO_DLL"
    [[ $want_kestrel != kestrel ]] || build_one bench/KestrelPeer "$KESTREL_DLL"
}

# Background processes this script started (clients, probes); stopped by pid on exit, never by name.
BG_PIDS=()
SERVER_PID=""
SERVER_CRASHED=""

# start_server LOGFILE CMD...: pinned to SERVER_CPU, sets SERVER_PID.
start_server() {
    local logfile=$1
    shift
    printf '%q ' taskset -c "$SERVER_CPU" "$@" > "$logfile"
    printf '\n' >> "$logfile"
    taskset -c "$SERVER_CPU" "$@" >> "$logfile" 2>&1 < /dev/null &
    SERVER_PID=$!
}

# wait_ready URL: curl until it answers 200 (at most 30 s). Fails when the server exits or does not answer.
wait_ready() {
    local i
    for ((i = 0; i < 300; i++)); do
        kill -0 "$SERVER_PID" 2> /dev/null || return 1
        [[ $(curl -s -o /dev/null --max-time 1 -w '%{http_code}' "$1" || true) == 200 ]] && return 0
        sleep 0.1
    done
    return 1
}

server_alive() { [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2> /dev/null; }

stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    local pid=$SERVER_PID i
    SERVER_PID=""
    kill -TERM "$pid" 2> /dev/null || { wait "$pid" 2> /dev/null || true; return 0; }
    for ((i = 0; i < 150; i++)); do
        kill -0 "$pid" 2> /dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2> /dev/null; then
        log "pid $pid ignored SIGTERM for 15 s; killing it"
        kill -KILL "$pid" 2> /dev/null || true
    fi
    wait "$pid" 2> /dev/null || true
}

stop_background() {
    local p
    ((${#BG_PIDS[@]} > 0)) || return 0
    for p in "${BG_PIDS[@]}"; do
        kill -TERM "$p" 2> /dev/null || true
    done
    for p in "${BG_PIDS[@]}"; do
        wait "$p" 2> /dev/null || true
    done
    BG_PIDS=()
}
cleanup() { stop_background; stop_server; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

# Memory and descriptors of a process (the server is the dotnet process itself: `exec` all the way down).
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2> /dev/null || echo 0; }
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2> /dev/null || echo 0; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
socket_count() { find "/proc/$1/fd" -lname 'socket:*' 2> /dev/null | wc -l; }

# ------------------------------------------------------------------------------------------------------------
# wrk
# ------------------------------------------------------------------------------------------------------------
need_wrk() { need_apt wrk wrk; }
# wrk_run OUTFILE CONNS DURATION_S URL: pinned to CLIENT_CPU, one thread, latency distribution.
wrk_run() {
    timeout $(($3 + 30)) taskset -c "$CLIENT_CPU" wrk -t1 -c"$2" -d"$3"s --latency "$4" > "$1" 2>&1 || true
}
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
        else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.0f", v * 60000 }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.0f", v * 1000 }
        else printf "" }'
}
wrk_field() { # $1 file, $2 rps | requests | p50 | p99 | errors (count of socket errors + non-2xx/3xx)
    case $2 in
        rps) awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$1" ;;
        requests) awk '/requests in/ {print $1}' "$1" ;;
        p50) to_ms "$(awk '$1 == "50%" {print $2}' "$1")" ;;
        p99) to_ms "$(awk '$1 == "99%" {print $2}' "$1")" ;;
        errors) awk '/Socket errors:/ { gsub(/,/, ""); for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) n += $i }
                     /Non-2xx or 3xx responses:/ { n += $NF } END { print n + 0 }' "$1" ;;
        errtext) awk '/Socket errors:/ { sub(/^ *Socket errors: */, ""); print "socket errors: " $0 }
                      /Non-2xx or 3xx responses:/ { print "non-2xx/3xx: " $NF }' "$1" | paste -sd ';' - ;;
    esac
}

# ------------------------------------------------------------------------------------------------------------
# Probe: one curl GET a second (bounded), to see that requests keep being served throughout, not just on average.
# ------------------------------------------------------------------------------------------------------------
# probe_start URL SECONDS OUTFILE: background; appends "http_code time_total" per probe.
probe_start() {
    local url=$1 secs=$2 file=$3
    : > "$file"
    (
        for ((i = 0; i < secs; i++)); do
            taskset -c "$CLIENT_CPU" curl -s -o /dev/null --max-time 5 -w '%{http_code} %{time_total}\n' "$url" >> "$file" 2> /dev/null \
                || echo "000 5" >> "$file"
            sleep 1
        done
    ) &
    PROBE_PID=$!
    BG_PIDS+=("$PROBE_PID")
}
# probe_wait: the probe loop ends by itself (bounded); wait for it and forget its pid.
probe_wait() {
    wait "$PROBE_PID" 2> /dev/null || true
    local keep=() p
    for p in "${BG_PIDS[@]}"; do [[ $p == "$PROBE_PID" ]] || keep+=("$p"); done
    BG_PIDS=("${keep[@]}")
}
# measure_phase NAME: one measured wrk -c$WRK_CONNS run of $DURATION s against $URL with the probe beside it;
# results in $OUT.NAME.txt and $OUT.probe-NAME.txt (the baseline and under-attack phases of slowloris.sh, slowread.sh).
measure_phase() {
    probe_start "$URL" "$DURATION" "$OUT.probe-$1.txt"
    wrk_run "$OUT.$1.txt" "$WRK_CONNS" "$DURATION" "$URL"
    probe_wait
}
# warm_up_and_measure_baseline: the unmeasured warm-up run, then the baseline phase; sets sockets_base and rss_base.
warm_up_and_measure_baseline() {
    log "server pid $SERVER_PID on port $PORT; warm-up ${WARMUP} s"
    wrk_run "$OUT.warmup.txt" "$WRK_CONNS" "$WARMUP" "$URL"
    log "baseline: wrk -c$WRK_CONNS ${DURATION} s"
    measure_phase baseline
    sockets_base=$(socket_count "$SERVER_PID")
    rss_base=$(rss_kib "$SERVER_PID")
}
# probe_summary FILE: "ok/total max_ms"
probe_summary() {
    awk '{ n++; if ($1 == 200) ok++; t = $2 * 1000; if (t > m) m = t } END { printf "%d/%d %.0f", ok, n, m }' "$1"
}

# ratio A B -> A/B with 2 decimals, or n/a
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b != "" && b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# le A B -> exit 0 when A <= B (floats)
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && b != "" && a + 0 <= b + 0) }'; }

describe_machine() {
    local commit=${SOAK_COMMIT:-}
    [[ -n $commit ]] || commit="$(git rev-parse --short HEAD 2> /dev/null || echo '?')$(git diff --quiet HEAD -- src 2> /dev/null || echo ' (src dirty)')"
    echo "commit $commit; $(nproc) CPUs; kernel $(uname -r); dotnet $(dotnet --version 2> /dev/null); server on CPU $SERVER_CPU, clients on CPU $CLIENT_CPU"
}
