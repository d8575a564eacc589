#!/usr/bin/env bash
# bench/soak/slowread.sh — do slow readers hurt normal clients? A Release `httpsys serve` pinned to CPU 0 with the
# compiled HelloHandler on /plaintext/ and a static root (a temp dir holding an 8 MiB big.bin) on /; `wrk -c16` on
# /plaintext first alone (baseline), then while `slowhttptest -X -c 1000` reads big.bin slowly (small advertised
# windows, 32 bytes every 5 s per connection). See bench/README.md, "Soak runs".
#
#     flock /tmp/httpsysps-build.lock bash bench/soak/slowread.sh          (~2 min)
#
# Bar (exit 0 when met): wrk p99 under attack < 2x the baseline p99; requests keep being served (wrk req/s > 0, at
# most 10 wrk errors, every one-a-second curl probe answered 200, server alive and answering afterwards).
# How many slow readers the server still held during the measured run is printed (slowhttptest does not reopen the
# connections a server drops; HTTP.sys's MinSendBytesPerSecond, 150 B/s by default, is what drops them).
# Knobs: SOAK_WARMUP=25 SOAK_DURATION=30, SLOWREAD_CONNECTIONS=1000, SLOWREAD_SIZE=8388608, SOAK_WRK_CONNECTIONS=16,
# and lib.sh's.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_wrk
need_apt slowhttptest slowhttptest

WARMUP=${SOAK_WARMUP:-25}
DURATION=${SOAK_DURATION:-30}
ATTACK=${SLOWREAD_CONNECTIONS:-1000}
SIZE=${SLOWREAD_SIZE:-8388608}
WRK_CONNS=${SOAK_WRK_CONNECTIONS:-16}
RAMP=10   # slowhttptest opens 200 connections a second: 1,000 in 5 s, and a margin
ulimit -n "$(ulimit -Hn)" 2> /dev/null || true
(($(ulimit -n) > ATTACK + 200)) || die "ulimit -n $(ulimit -n) is too low for $ATTACK connections"

build_release
WORK=$(mktemp -d /tmp/httpsysps-slowread.XXXXXX)
trap 'cleanup; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/www"
head -c "$SIZE" /dev/urandom > "$WORK/www/big.bin"

take_port
URL="http://127.0.0.1:$PORT/plaintext"
BIG="http://127.0.0.1:$PORT/big.bin"
start_server "$OUT.server.log" dotnet "$HOST_DLL" serve \
    --url "http://127.0.0.1:$PORT/plaintext/" --handler "$HELLO_DLL:$HELLO_TYPE" \
    --url "http://127.0.0.1:$PORT/" --root "$WORK/www" --quiet
wait_ready "$URL" || die "the server did not start (see $OUT.server.log)"
[[ $(curl -s -o /dev/null --max-time 10 -w '%{size_download}' "$BIG" || true) == "$SIZE" ]] || die "GET /big.bin did not return $SIZE bytes"
warm_up_and_measure_baseline

ATTACK_LEN=$((RAMP + DURATION + 10))
log "attack: slowhttptest -X -c $ATTACK for ${ATTACK_LEN} s"
# nice 19: slowhttptest spins on its CPU (100 % of a core whatever the server does), and it shares CPU 1 with wrk;
# at full priority it took half of wrk's CPU and the "attack" showed up as wrk's own slowdown, not the server's.
taskset -c "$CLIENT_CPU" nice -n 19 timeout $((ATTACK_LEN + 60)) slowhttptest -X -c "$ATTACK" -r 200 -w 512 -y 1024 -n 5 -z 32 -k 1 -p 3 \
    -l "$ATTACK_LEN" -g -o "$OUT.slowhttptest" -u "$BIG" > "$OUT.attack.log" 2>&1 &
ATTACK_PID=$!
BG_PIDS+=("$ATTACK_PID")
sleep "$RAMP"
t_start=$RAMP
sockets_attack=$(socket_count "$SERVER_PID")
log "under attack (server holds $sockets_attack sockets): wrk -c$WRK_CONNS ${DURATION} s"
measure_phase attack
t_end=$((RAMP + DURATION))
sockets_attack_end=$(socket_count "$SERVER_PID")
rss_attack=$(rss_kib "$SERVER_PID")
wait "$ATTACK_PID" || true
alive=yes
server_alive || alive=no
after=$(curl -s --max-time 5 "$URL" || true)

# slowhttptest's CSV: seconds, closed, pending, connected, service available — connected during the measured run.
CSV="$OUT.slowhttptest.csv"
held="?"
if [[ -f $CSV ]]; then
    held=$(awk -F, -v a="$t_start" -v b="$t_end" 'NR > 1 && $1 >= a && $1 <= b { if (min == "" || $4 < min) min = $4; if ($4 > max) max = $4; last = $4 }
                                                  END { if (min == "") print "?"; else printf "%d / %d / %d", min, max, last }' "$CSV")
    closed_total=$(awk -F, 'NR > 1 { c = $2 } END { print c + 0 }' "$CSV")
    unavailable=$(awk -F, 'NR > 1 && $5 !~ /^ *[1-9]/ && $5 !~ /YES/ { n++ } END { print n + 0 }' "$CSV")
fi

b_rps=$(wrk_field "$OUT.baseline.txt" rps) b_p50=$(wrk_field "$OUT.baseline.txt" p50) b_p99=$(wrk_field "$OUT.baseline.txt" p99)
a_rps=$(wrk_field "$OUT.attack.txt" rps) a_p50=$(wrk_field "$OUT.attack.txt" p50) a_p99=$(wrk_field "$OUT.attack.txt" p99)
b_err=$(wrk_field "$OUT.baseline.txt" errors) a_err=$(wrk_field "$OUT.attack.txt" errors)
read -r b_probe_ok b_probe_max <<< "$(probe_summary "$OUT.probe-baseline.txt")"
read -r a_probe_ok a_probe_max <<< "$(probe_summary "$OUT.probe-attack.txt")"

bar_p99=no bar_served=no
awk -v a="$a_p99" -v b="$b_p99" 'BEGIN { exit !(a != "" && b != "" && a < 2 * b) }' && bar_p99=yes
[[ -n $a_rps && $a_rps -gt 0 && $a_err -le 10 && ${a_probe_ok%/*} == "${a_probe_ok#*/}" && $alive == yes && $after == "Hello, World!" ]] && bar_served=yes
verdict() { [[ $1 == yes ]] && echo met || echo "**NOT met**"; }

{
    echo "### soak: slow read"
    echo
    describe_machine
    echo "wrk -t1 -c$WRK_CONNS -d${DURATION}s on /plaintext after a ${WARMUP} s warm-up; attack: slowhttptest -X -c $ATTACK -r 200 -w 512 -y 1024 -n 5 -z 32 -k 1 on /big.bin ($SIZE bytes), measured from its ${RAMP}th second"
    echo
    echo "| phase | req/s | p50 ms | p99 ms | wrk errors | probes 200 | probe max ms | slow readers connected min / max / last | server sockets | RSS MiB |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    echo "| baseline | $b_rps | $b_p50 | $b_p99 | $b_err | $b_probe_ok | $b_probe_max | — | $sockets_base | $(mib "$rss_base") |"
    echo "| slow read | $a_rps | $a_p50 | $a_p99 | $a_err | $a_probe_ok | $a_probe_max | $held | $sockets_attack → $sockets_attack_end | $(mib "$rss_attack") |"
    echo
    echo "- slowhttptest: ${closed_total:-?} connections closed by the end of its run; seconds its own probe found the service unavailable: ${unavailable:-?}"
    echo "- p99 under attack / baseline: $(ratio "$a_p99" "$b_p99")× (bar < 2×): $(verdict $bar_p99)"
    echo "- requests kept being served (req/s > 0, ≤ 10 wrk errors, every probe 200, server alive: $alive, GET afterwards: ${after:-nothing}): $(verdict $bar_served)"
    [[ -z $(wrk_field "$OUT.attack.txt" errtext) ]] || echo "- wrk under attack: $(wrk_field "$OUT.attack.txt" errtext)"
} > "$OUT.table.md"
cat "$OUT.table.md"
[[ $bar_p99 == yes && $bar_served == yes ]]
