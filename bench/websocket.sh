#!/usr/bin/env bash
# bench/websocket.sh — the WebSocket echo, ours against Kestrel's UseWebSockets, in one run (issue 13): the same
# load client (bench/WebSocketLoad, ClientWebSocket, closed loop: one message in flight per connection) pinned on the
# other core, servers alternating within each round; then the RSS of many idle sockets. See bench/README.md.
#
#     flock /tmp/httpsysps-build.lock bash bench/websocket.sh
#
# Knobs (environment): BENCH_ROUNDS=3, BENCH_WARMUP=10 (s, unmeasured, same connections), BENCH_DURATION=10 (s),
# BENCH_CONNECTIONS=64, BENCH_SIZES="64 16384" (message bytes), BENCH_IDLE=10000 (idle sockets; 0 = skip),
# BENCH_SERVER_CPU=0, BENCH_CLIENT_CPU=1, BENCH_PORT=19080, BENCH_SKIP_BUILD=1.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
ROUNDS=${BENCH_ROUNDS:-3}
WARMUP=${BENCH_WARMUP:-10}
DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
SIZES=${BENCH_SIZES:-64 16384}
IDLE=${BENCH_IDLE:-10000}
SERVER_CPU=${BENCH_SERVER_CPU:-0}
CLIENT_CPU=${BENCH_CLIENT_CPU:-1}
NEXT_PORT=${BENCH_PORT:-19080}
RUN="$REPO/bench/results/ws-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RUN"

log() { printf '[ws-bench] %s\n' "$*" >&2; }
die() { printf '[ws-bench] error: %s\n' "$*" >&2; exit 1; }
# shellcheck source=ports.sh
source "$REPO/bench/ports.sh"

HOST_DLL=src/HttpSysPS.Host/bin/Release/net8.0/httpsys.dll
ECHO_DLL=samples/HelloHandler/bin/Release/net8.0/HelloHandler.dll
PEER_DLL=bench/KestrelPeer/bin/Release/net10.0/KestrelPeer.dll
LOAD_DLL=bench/WebSocketLoad/bin/Release/net10.0/WebSocketLoad.dll

# OUR SERVER: httpsys serve with the sample echo handler on /ws/. Kestrel: the peer's /ws echo, same loop.
ours_cmd() { echo "dotnet $HOST_DLL serve --url http://127.0.0.1:$1/ws/ --handler $ECHO_DLL:HelloHandler.EchoWebSocketHandler --quiet"; }
kestrel_cmd() { echo "dotnet $PEER_DLL --urls http://127.0.0.1:$1 --root bench/www"; }

if [[ -z ${BENCH_SKIP_BUILD:-} ]]; then
    for project in src/HttpSysPS.Host samples/HelloHandler bench/KestrelPeer bench/WebSocketLoad; do
        log "building $project (Release)"
        dotnet build -c Release "$project" > "$RUN/build-$(basename "$project").log" 2>&1 || die "build of $project failed: $RUN/build-$(basename "$project").log"
    done
fi

SERVER_PID=""
stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    kill -TERM "$SERVER_PID" 2> /dev/null || true
    local i
    for ((i = 0; i < 50; i++)); do kill -0 "$SERVER_PID" 2> /dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2> /dev/null || true
    wait "$SERVER_PID" 2> /dev/null || true
    SERVER_PID=""
}
trap stop_server EXIT

# start NAME: a fresh server on a fresh port, pinned; waits until /ws/ answers (plain HTTP gets the echo's 400).
start() {
    take_port
    taskset -c "$SERVER_CPU" bash -c "exec $("$1_cmd" "$PORT")" > "$RUN/$1-$PORT.log" 2>&1 < /dev/null &
    SERVER_PID=$!
    local i
    for ((i = 0; i < 300; i++)); do
        kill -0 "$SERVER_PID" 2> /dev/null || die "$1 exited at start: $RUN/$1-$PORT.log"
        [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/ws/" || true) == 400 ]] && return 0
        sleep 0.1
    done
    die "$1 did not answer within 30 s"
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

declare -A RATE P99 P50
for ((round = 1; round <= ROUNDS; round++)); do
    order="ours kestrel"
    ((round % 2 == 0)) && order="kestrel ours"
    for size in $SIZES; do
        for server in $order; do
            start "$server"
            line=$(taskset -c "$CLIENT_CPU" dotnet "$LOAD_DLL" echo "ws://127.0.0.1:$PORT/ws/" "$CONNECTIONS" "$size" "$WARMUP" "$DURATION") \
                || die "load client failed against $server: $line"
            stop_server
            log "round $round $server ${size}B: $line"
            RATE[$server|$size]+="$(sed -E 's/.*rate=([0-9.]+).*/\1/' <<< "$line") "
            P50[$server|$size]+="$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<< "$line") "
            P99[$server|$size]+="$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<< "$line") "
        done
    done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }

declare -A IDLE_KIB BASE_KIB
if ((IDLE > 0)); then
    for server in ours kestrel; do
        start "$server"
        # One short echo first, so both servers have run their WebSocket path (JIT, pools) before the baseline.
        taskset -c "$CLIENT_CPU" dotnet "$LOAD_DLL" echo "ws://127.0.0.1:$PORT/ws/" 4 64 1 1 > /dev/null
        BASE_KIB[$server]=$(rss_kib "$SERVER_PID")
        fifo="$RUN/idle-$server.fifo"
        mkfifo "$fifo"
        taskset -c "$CLIENT_CPU" dotnet "$LOAD_DLL" idle "ws://127.0.0.1:$PORT/ws/" "$IDLE" < "$fifo" > "$RUN/idle-$server.out" &
        client=$!
        exec 9> "$fifo"
        for ((i = 0; i < 1200; i++)); do grep -q '^ready' "$RUN/idle-$server.out" 2> /dev/null && break; sleep 0.1; done
        grep -q '^ready' "$RUN/idle-$server.out" || die "$server: the idle client did not connect $IDLE sockets in 120 s"
        sleep 2 # let the accept bursts' garbage be collected before reading RSS (a bench, not a test)
        IDLE_KIB[$server]=$(rss_kib "$SERVER_PID")
        exec 9>&-
        wait "$client" || true
        rm -f "$fifo"
        stop_server
        log "$server: RSS ${BASE_KIB[$server]} KiB before, ${IDLE_KIB[$server]} KiB with $IDLE idle sockets"
    done
fi

{
    echo "WebSocket echo, $CONNECTIONS connections, closed loop, ${DURATION} s after ${WARMUP} s warm-up, median of $ROUNDS rounds (servers alternating; server on CPU $SERVER_CPU, client on CPU $CLIENT_CPU)"
    echo
    echo "| message | ours msg/s | Kestrel msg/s | ours / Kestrel | ours p50 / p99 ms | Kestrel p50 / p99 ms |"
    echo "|---:|---:|---:|---:|---:|---:|"
    for size in $SIZES; do
        o=$(median <<< "${RATE[ours|$size]}"); k=$(median <<< "${RATE[kestrel|$size]}")
        printf '| %s B | %s | %s | %s× | %s / %s | %s / %s |\n' "$size" "$o" "$k" "$(awk -v o="$o" -v k="$k" 'BEGIN {printf "%.2f", o / k}')" \
            "$(median <<< "${P50[ours|$size]}")" "$(median <<< "${P99[ours|$size]}")" "$(median <<< "${P50[kestrel|$size]}")" "$(median <<< "${P99[kestrel|$size]}")"
        echo "  rounds ${size}B: ours ${RATE[ours|$size]}/ Kestrel ${RATE[kestrel|$size]}" >&2
    done
    if ((IDLE > 0)); then
        echo
        echo "| $IDLE idle sockets | RSS before | RSS with them | per socket |"
        echo "|---|---:|---:|---:|"
        for server in ours kestrel; do
            printf '| %s | %d MiB | %d MiB | %.1f KiB |\n' "$server" $((BASE_KIB[$server] / 1024)) $((IDLE_KIB[$server] / 1024)) \
                "$(awk -v a="${BASE_KIB[$server]}" -v b="${IDLE_KIB[$server]}" -v n="$IDLE" 'BEGIN {print (b - a) / n}')"
        done
    fi
} | tee "$RUN/table.md"
