#!/usr/bin/env bash
# bench/soak/slowloris.sh — does a slowloris attack hurt normal clients? A Release `httpsys serve` (compiled
# HelloHandler on /plaintext/, pinned to CPU 0) with a service-wide HeaderWait of 10 s; `wrk -c16` on /plaintext
# first alone (baseline), then while 1,000 connections dribble request heads (bench/soak/slowloris.py, which reopens
# every connection the server closes, so the attack holds 1,000 the whole time). See bench/README.md, "Soak runs".
#
#     flock /tmp/httpsysps-build.lock bash bench/soak/slowloris.sh          (~2 min)
#
# Bar (exit 0 when met): wrk p99 under attack < 2x the baseline p99; requests keep being served (wrk req/s > 0, at
# most 10 wrk errors, every one-a-second curl probe answered 200); and the attack really held its connections
# (the median of once-a-second counts of open attack connections is at least 90 % of them).
# HeaderWait must be service-wide: a head that never completes is never routed to a listener, so a listener's
# `--timeout HeaderWait=10` alone does not reach it (HTTP.sys's "limited" listener timers, docs/engine.md). The
# script sets it in a config store of its own (`httpsys add timeout timeouttype=headerwaittimeout value=10
# --config STORE`) and passes `--timeout HeaderWait=10` too.
# Knobs: SOAK_WARMUP=25 SOAK_DURATION=30 (seconds), SLOWLORIS_CONNECTIONS=1000, SLOWLORIS_HEADERWAIT=10,
# SLOWLORIS_INTERVAL=2 (seconds between header lines per connection), SOAK_WRK_CONNECTIONS=16, and lib.sh's.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_wrk

WARMUP=${SOAK_WARMUP:-25}
DURATION=${SOAK_DURATION:-30}
ATTACK=${SLOWLORIS_CONNECTIONS:-1000}
HEADER_WAIT=${SLOWLORIS_HEADERWAIT:-10}
INTERVAL=${SLOWLORIS_INTERVAL:-2}
WRK_CONNS=${SOAK_WRK_CONNECTIONS:-16}
ulimit -n "$(ulimit -Hn)" 2> /dev/null || true
(($(ulimit -n) > ATTACK + 200)) || die "ulimit -n $(ulimit -n) is too low for $ATTACK connections"

build_release

STORE="$OUT.store.json"
rm -f "$STORE"
dotnet "$HOST_DLL" add timeout timeouttype=headerwaittimeout value="$HEADER_WAIT" --config "$STORE" > "$OUT.store.log" 2>&1 \
    || die "httpsys add timeout failed (see $OUT.store.log)"
take_port
URL="http://127.0.0.1:$PORT/plaintext"
start_server "$OUT.server.log" dotnet "$HOST_DLL" serve --config "$STORE" \
    --url "http://127.0.0.1:$PORT/plaintext/" --handler "$HELLO_DLL:$HELLO_TYPE" --timeout "HeaderWait=$HEADER_WAIT" --quiet
wait_ready "$URL" || die "the server did not start (see $OUT.server.log)"
warm_up_and_measure_baseline

log "attack: $ATTACK slowloris connections"
rm -f "$OUT.ready"
# nice 19: the attack shares CPU 1 with wrk; at full priority its CPU time would show up as wrk's own latency.
taskset -c "$CLIENT_CPU" nice -n 19 "$PY" "$REPO/bench/soak/slowloris.py" --port "$PORT" --connections "$ATTACK" \
    --interval "$INTERVAL" --duration $((DURATION + 120)) --ready-file "$OUT.ready" > "$OUT.attack.json" 2> "$OUT.attack.log" &
ATTACK_PID=$!
BG_PIDS+=("$ATTACK_PID")
for ((i = 0; i < 600; i++)); do
    [[ ! -f $OUT.ready ]] && kill -0 "$ATTACK_PID" 2> /dev/null || break
    sleep 0.1
done
[[ -f $OUT.ready ]] || { kill -TERM "$ATTACK_PID" 2> /dev/null; wait "$ATTACK_PID" || true; die "the attack never held $ATTACK connections (see $OUT.attack.log)"; }
# Let the first generation run into HeaderWait, so the measured run sees the steady churn of closes and reopens.
sleep $((HEADER_WAIT + 2))
sockets_attack=$(socket_count "$SERVER_PID")
log "under attack (server holds $sockets_attack sockets): wrk -c$WRK_CONNS ${DURATION} s"
measure_phase attack
sockets_attack_end=$(socket_count "$SERVER_PID")
rss_attack=$(rss_kib "$SERVER_PID")
kill -TERM "$ATTACK_PID" 2> /dev/null || true
wait "$ATTACK_PID" || true
alive=yes
server_alive || alive=no
after=$(curl -s --max-time 5 "$URL" || true)

# ------------------------------------------------------------------------------------------------------------
j() { "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get(sys.argv[2]))' "$OUT.attack.json" "$1" 2> /dev/null || echo "?"; }
b_rps=$(wrk_field "$OUT.baseline.txt" rps) b_p50=$(wrk_field "$OUT.baseline.txt" p50) b_p99=$(wrk_field "$OUT.baseline.txt" p99)
a_rps=$(wrk_field "$OUT.attack.txt" rps) a_p50=$(wrk_field "$OUT.attack.txt" p50) a_p99=$(wrk_field "$OUT.attack.txt" p99)
b_err=$(wrk_field "$OUT.baseline.txt" errors) a_err=$(wrk_field "$OUT.attack.txt" errors)
read -r b_probe_ok b_probe_max <<< "$(probe_summary "$OUT.probe-baseline.txt")"
read -r a_probe_ok a_probe_max <<< "$(probe_summary "$OUT.probe-attack.txt")"
open_min=$(j open_min) open_median=$(j open_median)

bar_p99=no bar_served=no bar_held=no
awk -v a="$a_p99" -v b="$b_p99" 'BEGIN { exit !(a != "" && b != "" && a < 2 * b) }' && bar_p99=yes
[[ -n $a_rps && $a_rps -gt 0 && $a_err -le 10 && ${a_probe_ok%/*} == "${a_probe_ok#*/}" && $alive == yes && $after == "Hello, World!" ]] && bar_served=yes
# Held: the median of the once-a-second samples. The server closes expired heads on its 1 s heartbeat, ~100 at a
# time, and the client reopens them at most 100 per 0.1 s tick, so a single sample may catch a dip.
[[ $open_median =~ ^[0-9]+$ ]] && ((open_median * 10 >= ATTACK * 9)) && bar_held=yes
verdict() { [[ $1 == yes ]] && echo met || echo "**NOT met**"; }

{
    echo "### soak: slowloris"
    echo
    describe_machine
    echo "wrk -t1 -c$WRK_CONNS -d${DURATION}s on /plaintext after a ${WARMUP} s warm-up; attack: $ATTACK connections (slowloris.py), a header line every ~${INTERVAL} s, reopened when closed; service-wide HeaderWait ${HEADER_WAIT} s"
    echo
    echo "| phase | req/s | p50 ms | p99 ms | wrk errors | probes 200 | probe max ms | attack conns open min / median | server sockets | RSS MiB |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    echo "| baseline | $b_rps | $b_p50 | $b_p99 | $b_err | $b_probe_ok | $b_probe_max | — | $sockets_base | $(mib "$rss_base") |"
    echo "| slowloris | $a_rps | $a_p50 | $a_p99 | $a_err | $a_probe_ok | $a_probe_max | $open_min / $open_median | $sockets_attack → $sockets_attack_end | $(mib "$rss_attack") |"
    echo
    echo "- attack: $(j opened) connections opened, $(j closed_by_server) closed by the server (lifetime median $(j lifetime_median_s) s, max $(j lifetime_max_s) s), $(j answered) answered with bytes, $(j connect_errors) connect errors, $(j header_lines_sent) header lines sent"
    echo "- p99 under attack / baseline: $(ratio "$a_p99" "$b_p99")× (bar < 2×): $(verdict $bar_p99)"
    echo "- requests kept being served (req/s > 0, ≤ 10 wrk errors, every probe 200, server alive: $alive, GET afterwards: ${after:-nothing}): $(verdict $bar_served)"
    echo "- attack held ≥ 90 % of $ATTACK connections during the run (median of once-a-second samples): $(verdict $bar_held)"
    [[ -z $(wrk_field "$OUT.attack.txt" errtext) ]] || echo "- wrk under attack: $(wrk_field "$OUT.attack.txt" errtext)"
} > "$OUT.table.md"
cat "$OUT.table.md"
[[ $bar_p99 == yes && $bar_served == yes && $bar_held == yes ]]
