#!/usr/bin/env bash
# bench/soak/idle.sh — what do 10,000 idle keep-alive connections cost? For our Release `httpsys serve` (compiled
# HelloHandler on /plaintext/) and then the Kestrel peer (bench/KestrelPeer), each pinned to CPU 0:
# bench/soak/idle.py opens 10,000 connections, sends one GET /plaintext on each, reads the answer and leaves them
# open and idle. The server's VmRSS is read before connecting (after a short warm-up), with all 10k idle, and a few
# seconds after they all closed. See bench/README.md, "Soak runs".
#
#     flock /tmp/httpsysps-build.lock bash bench/soak/idle.sh          (~2 min)
#
# Bar (exit 0 when met): our RSS with 10k idle minus RSS before ≤ 30 MB (10^6 bytes), with all 10k held idle and the
# server still answering afterwards. Kestrel's row is for comparison only.
# Knobs: IDLE_CONNECTIONS=10000 IDLE_SETTLE=5 (seconds between "all idle" and the reading), IDLE_PEERS="ours kestrel",
# and lib.sh's. Raises ulimit -n to the hard limit (needs > connections + 100).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONNS=${IDLE_CONNECTIONS:-10000}
SETTLE=${IDLE_SETTLE:-5}
PEERS=${IDLE_PEERS:-ours kestrel}
BAR_BYTES=30000000
ulimit -n "$(ulimit -Hn)" 2> /dev/null || true
(($(ulimit -n) > CONNS + 100)) || die "ulimit -n $(ulimit -n) is too low for $CONNS connections (raise the hard limit)"

build_release kestrel
WORK=$(mktemp -d /tmp/httpsysps-idle.XXXXXX)
trap 'cleanup; rm -rf "$WORK"' EXIT

declare -A R
# measure NAME: one server, one pass.
measure() {
    local name=$1 url
    take_port
    url="http://127.0.0.1:$PORT/plaintext"
    if [[ $name == ours ]]; then
        start_server "$OUT.$name.server.log" dotnet "$HOST_DLL" serve \
            --url "http://127.0.0.1:$PORT/plaintext/" --handler "$HELLO_DLL:$HELLO_TYPE" --quiet
    else
        start_server "$OUT.$name.server.log" dotnet "$KESTREL_DLL" --urls "http://127.0.0.1:$PORT" --root "$WORK"
    fi
    if ! wait_ready "$url"; then
        log "$name did not start (see $OUT.$name.server.log)"
        R[$name|error]="did not start"
        stop_server
        return
    fi
    # Warm-up: the connection and request paths run (and are jitted) before the "before" reading.
    taskset -c "$CLIENT_CPU" "$PY" "$REPO/bench/soak/idle.py" --port "$PORT" --connections 500 --hold-max 0 > "$OUT.$name.warmup.json" 2>&1 || true
    sleep 3
    R[$name|before]=$(rss_kib "$SERVER_PID")
    R[$name|sockets_before]=$(socket_count "$SERVER_PID")
    rm -f "$WORK/ready" "$WORK/close"
    log "$name (pid $SERVER_PID): opening $CONNS idle connections"
    taskset -c "$CLIENT_CPU" "$PY" "$REPO/bench/soak/idle.py" --port "$PORT" --connections "$CONNS" \
        --ready-file "$WORK/ready" --close-file "$WORK/close" --hold-max 90 > "$OUT.$name.idle.json" 2> "$OUT.$name.idle.log" &
    local client=$! i
    BG_PIDS+=("$client")
    for ((i = 0; i < 1200; i++)); do
        [[ ! -f $WORK/ready ]] && kill -0 "$client" 2> /dev/null || break
        sleep 0.1
    done
    if [[ ! -f $WORK/ready ]]; then
        R[$name|error]="the client never got all connections up (see $OUT.$name.idle.log)"
        stop_background
        stop_server
        return
    fi
    sleep "$SETTLE"
    R[$name|idle]=$(rss_kib "$SERVER_PID")
    R[$name|sockets_idle]=$(socket_count "$SERVER_PID")
    touch "$WORK/close"
    wait "$client" || true
    BG_PIDS=()
    # Wait (bounded: 15 s) until the server has let go of the closed connections, then a few seconds more.
    for ((i = 0; i < 150; i++)); do
        (($(socket_count "$SERVER_PID") <= ${R[$name|sockets_before]} + 5)) && break
        sleep 0.1
    done
    sleep "$SETTLE"
    R[$name|after]=$(rss_kib "$SERVER_PID")
    R[$name|sockets_after]=$(socket_count "$SERVER_PID")
    R[$name|hwm]=$(hwm_kib "$SERVER_PID")
    R[$name|check]=$(curl -s --max-time 5 "$url" || true)
    server_alive && R[$name|alive]=yes || R[$name|alive]=no
    stop_server
    R[$name|held]=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["idle_held"], d["held_at_close"], d["failed"], d["closed_by_server_while_idle"], d["open_seconds"])' "$OUT.$name.idle.json" 2> /dev/null || echo "? ? ? ? ?")
}

for peer in $PEERS; do
    measure "$peer"
done

bar=no
{
    echo "### soak: idle keep-alive connections"
    echo
    describe_machine
    echo "$CONNS connections (idle.py: one GET /plaintext each, answer read, then idle); RSS = VmRSS in MiB; readings ${SETTLE} s after all were idle / after all closed"
    echo
    echo "| server | idle held / at close | failed | closed by server while idle | RSS before | RSS 10k idle | growth MiB | KiB per connection | RSS after close | peak RSS | sockets before / idle / after |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for peer in $PEERS; do
        label=$([[ $peer == ours ]] && echo "ours (httpsys serve)" || echo "Kestrel")
        if [[ -n ${R[$peer|error]:-} ]]; then
            echo "| $label | n/a: ${R[$peer|error]} | | | | | | | | | |"
            continue
        fi
        read -r held held_close failed closed_idle open_s <<< "${R[$peer|held]}"
        growth=$((${R[$peer|idle]} - ${R[$peer|before]}))
        per=$(awk -v g="$growth" -v n="$held" 'BEGIN { if (n > 0) printf "%.2f", g / n; else print "n/a" }')
        echo "| $label | $held / $held_close | $failed | $closed_idle | $(mib "${R[$peer|before]}") | $(mib "${R[$peer|idle]}") | $(mib "$growth") | $per | $(mib "${R[$peer|after]}") | $(mib "${R[$peer|hwm]}") | ${R[$peer|sockets_before]} / ${R[$peer|sockets_idle]} / ${R[$peer|sockets_after]} |"
        if [[ $peer == ours ]]; then
            if [[ $held == "$CONNS" && $held_close == "$CONNS" && $((growth * 1024)) -le $BAR_BYTES && ${R[$peer|alive]} == yes && ${R[$peer|check]} == "Hello, World!" ]]; then
                bar=yes
            fi
            ours_growth=$growth
        fi
    done
    echo
    if [[ " $PEERS " == *" ours "* ]]; then
        echo "- bar (ours: growth ≤ 30 MB = $((BAR_BYTES / 1024)) KiB with all $CONNS held idle until closed, alive and answering afterwards): $([[ $bar == yes ]] && echo met || echo "**NOT met**") (growth ${ours_growth:-?} KiB; GET afterwards: ${R[ours|check]:-nothing})"
    fi
} > "$OUT.table.md"
cat "$OUT.table.md"
[[ $bar == yes || " $PEERS " != *" ours "* ]]
