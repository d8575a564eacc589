#!/usr/bin/env bash
# bench/handshakes.sh — TLS handshakes per second, ours against Kestrel: full handshakes (`openssl s_time -new`) and
# resumed ones (`openssl s_time -reuse`: the client offers the session of its first connection every time). Each
# connection is a handshake that the client then closes. Both servers serve the same self-signed ECDSA P-256
# certificate; ours through an SSL binding with the default flags (resumption on, docs/https.md "Session resumption").
#
# Why TLS 1.2 and no request by default: with HS_WWW=/plaintext s_time sends an HTTP/1.0 request and reads to the
# server's close, and neither server sends close_notify before it closes, so OpenSSL's client marks the session
# not resumable and -reuse never resumes (against `openssl s_server -www`, which does send it, it does). Without a
# request a TLS 1.3 client never reads the ticket that follows the handshake, so TLS 1.3 resumption cannot be
# measured this way either (it is tested in tests/HttpSysPS.Engine.Tests/Tls/ResumptionTests.cs).
#
# Run it inside the build lock (it builds Release and needs the CPUs to itself):
#     flock /tmp/httpsysps-build.lock bash bench/handshakes.sh
# Knobs: HS_TIME=5 (s_time seconds per measurement), HS_ROUNDS=3 (servers alternate, order flipped every round; the
# table shows medians), HS_TLS=-tls1_2 (the client's protocol), HS_WWW= (a path to GET per connection; empty: none),
# HS_WARMUP=10 (unmeasured seconds of -new and then of -reuse against each fresh server first: our engine is JIT
# compiled and a .NET server pinned to one core needs seconds to reach its tiered code), BENCH_SKIP_BUILD=1, BENCH_SERVER_CPU=0,
# BENCH_CLIENT_CPU=1, BENCH_PORT=19080.
#
# s_time is one sequential client: a handshake rate is the rate of the slower of client and server, so compare the two
# servers with each other and full with resumed, not with other machines.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
TIME=${HS_TIME:-5}
WARMUP=${HS_WARMUP:-10}
ROUNDS=${HS_ROUNDS:-3}
TLS=${HS_TLS:--tls1_2}
WWW_ARGS=()
[[ -z ${HS_WWW:-} ]] || WWW_ARGS=(-www "$HS_WWW")
SERVER_CPU=${BENCH_SERVER_CPU:-0}
CLIENT_CPU=${BENCH_CLIENT_CPU:-1}
NEXT_PORT=${BENCH_PORT:-19080}
RUN="$REPO/bench/results/handshakes-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RUN" "$REPO/bench/www"

log() { printf '[handshakes] %s\n' "$*" >&2; }
die() { printf '[handshakes] error: %s\n' "$*" >&2; exit 1; }
# shellcheck source=bench/ports.sh
source "$REPO/bench/ports.sh"
command -v openssl > /dev/null || die "openssl is missing: apt-get install -y --no-install-recommends openssl"

HOST_DLL="src/HttpSysPS.Host/bin/Release/net8.0/httpsys.dll"
HANDLER="samples/HelloHandler/bin/Release/net8.0/HelloHandler.dll:HelloHandler.HelloHandler"
KESTREL_DLL="bench/KestrelPeer/bin/Release/net10.0/KestrelPeer.dll"
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    log "building Release (logs in $RUN)"
    for p in src/HttpSysPS.Host samples/HelloHandler bench/KestrelPeer; do
        timeout 600 dotnet build "$p" -c Release --disable-build-servers -nologo > "$RUN/build-$(basename "$p").log" 2>&1 || die "$p does not build"
    done
fi

dotnet "$HOST_DLL" cert new --dns localhost --dns 127.0.0.1 --out "$RUN/cert" > /dev/null
CERT="$RUN/cert/cert.pem"
KEY="$RUN/cert/key.pem"

start() { # $1 server, $2 port; sets SERVER_PID
    case $1 in
        ours)
            dotnet "$HOST_DLL" add sslcert "ipport=127.0.0.1:$2" "certfile=$CERT" "keyfile=$KEY" --config "$RUN/store-$2.json" > /dev/null
            taskset -c "$SERVER_CPU" dotnet "$HOST_DLL" serve --config "$RUN/store-$2.json" --url "https://127.0.0.1:$2/plaintext/" \
                --handler "$HANDLER" --quiet > "$RUN/ours-$2.log" 2>&1 &
            ;;
        kestrel)
            taskset -c "$SERVER_CPU" dotnet "$KESTREL_DLL" --urls "https://127.0.0.1:$2" --root "$REPO/bench/www" --cert "$CERT" --key "$KEY" \
                > "$RUN/kestrel-$2.log" 2>&1 &
            ;;
    esac
    SERVER_PID=$!
    for _ in $(seq 300); do
        curl -s -o /dev/null --max-time 1 --cacert "$CERT" "https://127.0.0.1:$2/plaintext" && return 0
        kill -0 "$SERVER_PID" 2> /dev/null || die "$1 exited (see $RUN)"
        sleep 0.1
    done
    die "$1 did not answer within 30 s"
}

# One s_time run; prints connections per second (connections / wall-clock seconds of the run).
rate() { # $1 port, $2 -new|-reuse, $3 seconds (default HS_TIME)
    local start end out n
    start=$(date +%s.%N)
    out=$(taskset -c "$CLIENT_CPU" openssl s_time -connect "127.0.0.1:$1" "$TLS" "${WWW_ARGS[@]}" "$2" -time "${3:-$TIME}" 2>&1) || true
    end=$(date +%s.%N)
    n=$(grep -m1 -oE '^[0-9]+ connections in [0-9.]+s' <<< "$out" | cut -d' ' -f1)
    [[ -n $n ]] || { echo "$out" > "$RUN/s_time-failed.log"; die "s_time printed no count (see $RUN/s_time-failed.log)"; }
    echo "$n $start $end" | awk '{ printf "%.0f\n", $1 / ($3 - $2) }'
}

declare -A RESULTS
servers=(ours kestrel)
for ((round = 1; round <= ROUNDS; round++)); do
    order=("${servers[@]}")
    ((round % 2 == 0)) && order=(kestrel ours)
    for server in "${order[@]}"; do
        take_port
        start "$server" "$PORT"
        rate "$PORT" -new "$WARMUP" > /dev/null # warm-up: JIT tiers, first contexts
        rate "$PORT" -reuse "$WARMUP" > /dev/null
        for mode in -new -reuse; do
            r=$(rate "$PORT" "$mode")
            RESULTS[$server$mode]+="$r "
            log "round $round $server $mode: $r /s"
        done
        kill "$SERVER_PID"
        wait "$SERVER_PID" 2> /dev/null || true
    done
done

median() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
spread() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "–" hi }'; }
{
    echo "| handshakes ($TLS, s_time ${TIME}s, median of $ROUNDS) | ours /s | Kestrel /s | ours / Kestrel |"
    echo "|---|---:|---:|---:|"
    for mode in -new -reuse; do
        o=$(median "${RESULTS[ours$mode]}")
        k=$(median "${RESULTS[kestrel$mode]}")
        label=full
        [[ $mode == -reuse ]] && label=resumed
        echo "| $label | $o ($(spread "${RESULTS[ours$mode]}")) | $k ($(spread "${RESULTS[kestrel$mode]}")) | $(awk -v a="$o" -v b="$k" 'BEGIN { printf "%.2f×", a / b }') |"
    done
    o_new=$(median "${RESULTS[ours-new]}")
    o_reuse=$(median "${RESULTS[ours-reuse]}")
    k_new=$(median "${RESULTS[kestrel-new]}")
    k_reuse=$(median "${RESULTS[kestrel-reuse]}")
    echo
    echo "resumed / full: ours $(awk -v a="$o_reuse" -v b="$o_new" 'BEGIN { printf "%.2f×", a / b }'), Kestrel $(awk -v a="$k_reuse" -v b="$k_new" 'BEGIN { printf "%.2f×", a / b }')"
} | tee "$RUN/table.md"
