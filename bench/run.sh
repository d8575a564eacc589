#!/usr/bin/env bash
# bench/run.sh — one command: build Release, run our server, Kestrel (and nginx for static rows) one after the
# other under the same wrk load, print one side-by-side markdown table. See bench/README.md.
#
# On the shared build machines run it inside the build lock (it builds, and it must not fight other jobs for CPU):
#     flock /tmp/httpsysps-build.lock bash bench/run.sh
# Quick smoke run:
#     BENCH_DURATION=2s BENCH_WARMUP=1s flock /tmp/httpsysps-build.lock bash bench/run.sh
#
# Knobs (environment):
#   BENCH_DURATION=10s        measured wrk run per row and server (wrk duration syntax: 10s, 1m)
#   BENCH_WARMUP=25s          unmeasured wrk run against the freshly started server first. Long on purpose: a .NET
#                             server pinned to one core is still climbing at 15-20 s (tiering delays x10 on one CPU,
#                             Dynamic PGO's instrumented tier); Kestrel plaintext went 21k -> 50k req/s over 24 s.
#   BENCH_CONNECTIONS="64 256"  wrk -c values, one row each
#   BENCH_THREADS=1           wrk -t
#   BENCH_ROUNDS=3            measure every row N times, servers alternating within the row (the order flips every
#                             round: ours, Kestrel, [nginx, A/A] then the reverse, so no server always goes first);
#                             the table shows the median req/s with its spread (min-max over the rounds), median p50
#                             and p99, and the highest peak RSS (this VM is noisy). BENCH_ROUNDS=1 for one quick pass.
#   BENCH_AA=first            an A/A noise row: a second, separately started Kestrel measured in the same rounds as the
#                             Kestrel column, so the table shows how far two identical servers differ on this machine.
#                             first = for the first scenario of BENCH_SCENARIOS (default); 0 = none; or a list of
#                             scenario names
#   BENCH_SCENARIOS="plaintext static4k"   also: static1m, cached, uncached (see bench/README.md), plaintextlog (plaintext
#                             with our access logs and httperr written to files), https (plaintext
#                             over TLS, keep-alive), httpsnew (plaintext over TLS, Connection: close: one handshake per request)
#   BENCH_SERVER_CPU=0 BENCH_CLIENT_CPU=1   taskset CPU lists for servers and for wrk
#   BENCH_NGINX=auto|0|1      nginx column on static rows (auto: when nginx is installed)
#   BENCH_PORT=18080          first port tried; each server start takes the next free one
#   BENCH_SKIP_BUILD=1        use what is already built
#   BENCH_OURS_CMD='...'      replace our server's command line (see "OUR SERVER" below); @PORT@ and @ROOT@ are
#                             substituted, the string runs under `bash -c "exec ..."`. Handy for an A/A run:
#                             BENCH_OURS_CMD='dotnet bench/KestrelPeer/bin/Release/net10.0/KestrelPeer.dll --urls http://127.0.0.1:@PORT@ --root @ROOT@'
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"

DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-25s}
CONNECTIONS=${BENCH_CONNECTIONS:-64 256}
THREADS=${BENCH_THREADS:-1}
ROUNDS=${BENCH_ROUNDS:-3}
SCENARIOS=${BENCH_SCENARIOS:-plaintext static4k}
SERVER_CPU=${BENCH_SERVER_CPU:-0}
CLIENT_CPU=${BENCH_CLIENT_CPU:-1}
NGINX_MODE=${BENCH_NGINX:-auto}
NEXT_PORT=${BENCH_PORT:-18080}
AA_SCENARIOS=${BENCH_AA:-first}
case $AA_SCENARIOS in
    0 | no | none) AA_SCENARIOS="" ;;
    1 | first) read -r AA_SCENARIOS _ <<< "$SCENARIOS" ;;
esac

WWW="$REPO/bench/www"
RUN_ID=$(date +%Y%m%d-%H%M%S)
RUN="$REPO/bench/results/$RUN_ID"
mkdir -p "$RUN"
ln -sfn "$RUN_ID" "$REPO/bench/results/latest"

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

# ============================================================================================================
# OUR SERVER — the command under test. $1 = port. Prints the command as NUL-separated words.
# Both listeners share one port (HTTP.sys port sharing); options after a --url apply to that listener.
# The prefix /plaintext/ also matches the request path /plaintext (HTTP.sys whole-segment rule).
# ============================================================================================================
OURS_HOST_DLL="src/HttpSysPS.Host/bin/Release/net8.0/httpsys.dll"
OURS_HANDLER_DLL="samples/HelloHandler/bin/Release/net8.0/HelloHandler.dll"
OURS_HANDLER_TYPE="HelloHandler.HelloHandler"
# The cacheable dynamic response: the same handler on two listeners, response caching on (/cached/) and off (/uncached/).
OURS_CATALOG_TYPE="HelloHandler.CatalogHandler"
# The PowerShell rows: the staged module in a pwsh session (bench/PowerShellServer.ps1), run through the pinned tool's
# own pwsh executable (not the `dotnet pwsh` shim, so the server is one process for taskset and the RSS column).
scenario_is_powershell() { [[ $1 == scriptblock || $1 == pscompiled ]]; }
ours_cmd() {
    local port=$1
    if scenario_is_powershell "$SCENARIO" && [[ -z "${BENCH_OURS_CMD:-}" ]]; then
        local handler=ScriptBlock
        [[ $SCENARIO == pscompiled ]] && handler=Compiled
        printf '%s\0' "$PWSH" -NoProfile -NonInteractive -File "$REPO/bench/PowerShellServer.ps1" -Port "$port" -Handler "$handler" \
            -HandlerAssembly "$REPO/$OURS_HANDLER_DLL"
        return
    fi
    if [[ -n "${BENCH_OURS_CMD:-}" ]]; then
        local c=${BENCH_OURS_CMD//@PORT@/$port}
        c=${c//@ROOT@/$WWW}
        printf '%s\0' bash -c "exec $c"
        return
    fi
    if scenario_is_https "$SCENARIO"; then
        # HTTPS: a fresh store of our own with an ipport binding to the bench certificate, then serve from it.
        local store="$RUN/ours-store-$port.json" host
        printf -v host '%q' "$OURS_HOST_DLL"
        printf '%s\0' bash -c "dotnet $host add sslcert ipport=127.0.0.1:$port certfile=$(printf %q "$CERT_FILE") keyfile=$(printf %q "$KEY_FILE") --config $(printf %q "$store") > /dev/null && exec dotnet $host serve --config $(printf %q "$store") --url https://127.0.0.1:$port/plaintext/ --handler $(printf %q "$OURS_HANDLER_DLL:$OURS_HANDLER_TYPE") --quiet"
        return
    fi
    printf '%s\0' dotnet "$OURS_HOST_DLL" serve \
        --url "http://127.0.0.1:$port/plaintext/" --handler "$OURS_HANDLER_DLL:$OURS_HANDLER_TYPE" \
        --url "http://127.0.0.1:$port/static/" --root "$WWW" \
        --url "http://127.0.0.1:$port/cached/" --handler "$OURS_HANDLER_DLL:$OURS_CATALOG_TYPE" \
        --url "http://127.0.0.1:$port/uncached/" --handler "$OURS_HANDLER_DLL:$OURS_CATALOG_TYPE" --no-response-cache \
        --quiet
    # plaintextlog: the same server with W3C access logs and httperr on (files under the run's folder); Kestrel unchanged.
    [[ $SCENARIO != plaintextlog ]] || printf '%s\0' --log-dir "$RUN/logs-$port"
}

# The Kestrel peer (bench/KestrelPeer, not part of HttpSysPS.sln).
KESTREL_DLL="bench/KestrelPeer/bin/Release/net10.0/KestrelPeer.dll"
kestrel_cmd() {
    if scenario_is_https "$SCENARIO"; then
        printf '%s\0' dotnet "$KESTREL_DLL" --urls "https://127.0.0.1:$1" --root "$WWW" --cert "$CERT_FILE" --key "$KEY_FILE"
        return
    fi
    printf '%s\0' dotnet "$KESTREL_DLL" --urls "http://127.0.0.1:$1" --root "$WWW"
}

# The A/A noise row's "A" server: another Kestrel peer, started fresh like every other server.
aa_cmd() { kestrel_cmd "$@"; }

# nginx, static rows only: bench/nginx.conf with the placeholders filled in, one scratch prefix per start.
nginx_cmd() {
    local port=$1 prefix="$RUN/nginx-$1"
    mkdir -p "$prefix"
    sed -e "s|@PORT@|$port|g" -e "s|@ROOT@|$WWW|g" -e "s|@PREFIX@|$prefix|g" \
        "$REPO/bench/nginx.conf" > "$prefix/nginx.conf"
    printf '%s\0' nginx -p "$prefix/" -e "$prefix/error.log" -c "$prefix/nginx.conf"
}

# Scenarios: request path and how to recognise a correct answer.
scenario_is_https() { [[ $1 == https* ]]; }
scenario_scheme() { if scenario_is_https "$1"; then echo https; else echo http; fi; }
scenario_wrk_args() { # extra wrk arguments
    case $1 in
        httpsnew) printf '%s\0' -H "Connection: close" ;; # both servers close after each answer: a handshake per request
    esac
}
scenario_path() {
    case $1 in
        plaintext | plaintextlog | https | httpsnew | scriptblock | pscompiled) echo /plaintext ;;
        static4k) echo /static/4k.bin ;;
        static1m) echo /static/1m.bin ;;
        cached) echo /cached/catalog ;;
        uncached) echo /uncached/catalog ;;
        *) die "unknown scenario '$1'" ;;
    esac
}
scenario_expect() { # file holding the exact expected body
    case $1 in
        plaintext | plaintextlog | https | httpsnew | scriptblock | pscompiled) printf 'Hello, World!' > "$RUN/expect-plaintext"; echo "$RUN/expect-plaintext" ;;
        static4k) echo "$WWW/4k.bin" ;;
        static1m) echo "$WWW/1m.bin" ;;
        cached | uncached) echo "$REPO/bench/catalog.json" ;;
    esac
}
scenario_servers() { # which servers take part in a scenario
    local s
    case $1 in
        plaintext | plaintextlog | cached | uncached | https | httpsnew | scriptblock | pscompiled) s="ours kestrel" ;;
        static*) if [[ $NGINX_ON == 1 ]]; then s="ours kestrel nginx"; else s="ours kestrel"; fi ;;
    esac
    scenario_has_aa "$1" && s+=" aa"
    echo "$s"
}
scenario_has_aa() { [[ " $AA_SCENARIOS " == *" $1 "* ]]; }

# ------------------------------------------------------------------------------------------------------------
# Tools
# ------------------------------------------------------------------------------------------------------------
APT_LOG="$RUN/apt.log"
source "$REPO/bench/need-apt.sh"
source "$REPO/bench/ports.sh"
need_apt wrk wrk
need_apt curl curl
need_apt taskset util-linux
command -v dotnet > /dev/null 2>&1 || die "dotnet (the .NET SDK) is required"

case $NGINX_MODE in
    auto) if command -v nginx > /dev/null 2>&1; then NGINX_ON=1; else NGINX_ON=0; log "nginx not installed: no nginx column"; fi ;;
    1) command -v nginx > /dev/null 2>&1 || die "BENCH_NGINX=1 but nginx is not installed (apt-get install nginx)"; NGINX_ON=1 ;;
    *) NGINX_ON=0 ;;
esac

if (($(nproc) < 2)); then
    log "warning: fewer than 2 CPUs; server and wrk share CPU $SERVER_CPU"
    CLIENT_CPU=$SERVER_CPU
fi

# wrk duration ("10s", "2m", "1h", bare seconds) -> seconds, for the outer timeouts.
to_seconds() {
    local d=$1
    case $d in
        *ms) echo 1 ;;
        *s) echo "${d%s}" ;;
        *m) echo $((${d%m} * 60)) ;;
        *h) echo $((${d%h} * 3600)) ;;
        *) echo "$d" ;;
    esac
}
DUR_S=$(to_seconds "$DURATION")
WARM_S=$(to_seconds "$WARMUP")

# ------------------------------------------------------------------------------------------------------------
# Build (Release) and test data
# ------------------------------------------------------------------------------------------------------------
OURS_UNAVAILABLE=""   # non-empty = reason our server is skipped ("n/a" in the table)

NEED_PWSH=0
for scenario in $SCENARIOS; do
    if scenario_is_powershell "$scenario"; then NEED_PWSH=1; fi
done

build() { # $1 project dir, $2 log name
    timeout 600 dotnet build "$1" -c Release --disable-build-servers -nologo > "$RUN/build-$2.log" 2>&1
}

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    log "building Release (logs in $RUN/build-*.log)"
    build bench/KestrelPeer kestrel || die "the Kestrel peer does not build (see $RUN/build-kestrel.log)"
    if [[ -z "${BENCH_OURS_CMD:-}" ]]; then
        if [[ -d src/HttpSysPS.Host ]]; then
            build src/HttpSysPS.Host host || OURS_UNAVAILABLE="src/HttpSysPS.Host does not build (build-host.log)"
        fi
        if [[ -z $OURS_UNAVAILABLE && -d samples/HelloHandler ]]; then
            build samples/HelloHandler hello || OURS_UNAVAILABLE="samples/HelloHandler does not build (build-hello.log)"
        fi
        if [[ -z $OURS_UNAVAILABLE && $NEED_PWSH == 1 ]]; then
            # Stages the Release module into artifacts/module/HttpSysPS for the PowerShell rows.
            build src/HttpSysPS.Cmdlets cmdlets || OURS_UNAVAILABLE="src/HttpSysPS.Cmdlets does not build (build-cmdlets.log)"
        fi
    fi
fi
PWSH=""
if [[ $NEED_PWSH == 1 ]]; then
    dotnet tool restore > "$RUN/tool-restore.log" 2>&1 || die "dotnet tool restore failed (see $RUN/tool-restore.log)"
    PWSH="$(dotnet pwsh -NoProfile -NonInteractive -Command '[IO.Path]::Combine($PSHOME, "pwsh")')"
    [[ -x $PWSH ]] || die "the pinned pwsh was not found (got '$PWSH')"
fi
[[ -f $KESTREL_DLL ]] || die "$KESTREL_DLL missing"
if [[ -z "${BENCH_OURS_CMD:-}" && -z $OURS_UNAVAILABLE ]]; then
    [[ -f $OURS_HOST_DLL ]] || OURS_UNAVAILABLE="$OURS_HOST_DLL missing"
    [[ -n $OURS_UNAVAILABLE || -f $OURS_HANDLER_DLL ]] || OURS_UNAVAILABLE="$OURS_HANDLER_DLL missing"
fi
[[ -z $OURS_UNAVAILABLE ]] || log "our server: n/a — $OURS_UNAVAILABLE"

mkdir -p "$WWW"
make_file() { # $1 name, $2 size in bytes; regenerated only when missing or of the wrong size
    local f="$WWW/$1"
    if [[ ! -f $f || $(stat -c %s "$f") != "$2" ]]; then
        head -c "$2" /dev/urandom > "$f.tmp" && mv "$f.tmp" "$f"
    fi
}
make_file 4k.bin 4096
make_file 1m.bin 1048576

# HTTPS rows: one self-signed ECDSA P-256 PEM pair per run, served by both servers (ours through an SSL binding).
CERT_FILE="$RUN/cert/cert.pem"
KEY_FILE="$RUN/cert/key.pem"
for scenario in $SCENARIOS; do
    scenario_is_https "$scenario" || continue
    if [[ -z $OURS_UNAVAILABLE && -f $OURS_HOST_DLL ]]; then
        dotnet "$OURS_HOST_DLL" cert new --dns localhost --dns 127.0.0.1 --out "$RUN/cert" > "$RUN/cert.log" 2>&1 \
            || die "httpsys cert new failed (see $RUN/cert.log)"
    else
        need_apt openssl openssl
        mkdir -p "$RUN/cert"
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 7 -subj /CN=localhost \
            -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$KEY_FILE" -out "$CERT_FILE" > "$RUN/cert.log" 2>&1 \
            || die "openssl could not make the bench certificate (see $RUN/cert.log)"
    fi
    break
done

# ------------------------------------------------------------------------------------------------------------
# Server lifecycle
# ------------------------------------------------------------------------------------------------------------
SERVER_PID=""

stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    local pid=$SERVER_PID
    SERVER_PID=""
    kill -TERM "$pid" 2> /dev/null || return 0
    local i
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2> /dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2> /dev/null; then
        log "pid $pid ignored SIGTERM for 5 s; killing it"
        pkill -KILL -P "$pid" 2> /dev/null || true
        kill -KILL "$pid" 2> /dev/null || true
    fi
    wait "$pid" 2> /dev/null || true
}
trap 'stop_server' EXIT
trap 'stop_server; exit 130' INT TERM

# start_server NAME PORT LOGFILE: pinned to SERVER_CPU; sets SERVER_PID. Fails if it cannot be exec'd.
start_server() {
    local name=$1 port=$2 logfile=$3
    local -a cmd
    mapfile -d '' -t cmd < <("${name}_cmd" "$port")
    printf '%q ' taskset -c "$SERVER_CPU" "${cmd[@]}" > "$logfile"
    printf '\n' >> "$logfile"
    taskset -c "$SERVER_CPU" "${cmd[@]}" >> "$logfile" 2>&1 < /dev/null &
    SERVER_PID=$!
}

# wait_ready URL: poll with curl until the server answers at all (bounded: 30 s). 1 = process died, 2 = timeout.
wait_ready() {
    local url=$1 i
    for ((i = 0; i < 300; i++)); do
        kill -0 "$SERVER_PID" 2> /dev/null || return 1
        curl -s -o /dev/null --max-time 1 "${CURL_TLS[@]}" "$url" && return 0
        sleep 0.1
    done
    return 2
}

# check_response URL EXPECTED_FILE: 200 and the exact expected bytes, else prints why.
check_response() {
    local url=$1 expect=$2 body="$RUN/check-body" code
    code=$(curl -s --max-time 5 "${CURL_TLS[@]}" -o "$body" -w '%{http_code}' "$url") || { echo "curl failed"; return 1; }
    [[ $code == 200 ]] || { echo "HTTP $code"; return 1; }
    cmp -s "$body" "$expect" || { echo "body differs from $(basename "$expect") ($(stat -c %s "$body") bytes)"; return 1; }
}

# Peak RSS (VmHWM) of the server and its children (nginx's worker), in KiB.
peak_rss_kib() {
    local pid=$1 total=0 p v
    for p in $pid $(pgrep -P "$pid" 2> /dev/null || true); do
        v=$(awk '/^VmHWM:/ {print $2}' "/proc/$p/status" 2> /dev/null || true)
        total=$((total + ${v:-0}))
    done
    echo "$total"
}

# ------------------------------------------------------------------------------------------------------------
# wrk output parsing
# ------------------------------------------------------------------------------------------------------------
to_ms() { # "812.34us" | "1.20ms" | "1.02s" -> milliseconds
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
        else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.0f", v * 60000 }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.0f", v * 1000 }
        else printf "?" }'
}
wrk_field() { # $1 file, $2 field: rps | p50 | p99 | errors
    case $2 in
        rps) awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$1" ;;
        p50) to_ms "$(awk '$1 == "50%" {print $2}' "$1")" ;;
        p99) to_ms "$(awk '$1 == "99%" {print $2}' "$1")" ;;
        errors) # socket errors and non-2xx/3xx answers, empty when clean
            awk '/Socket errors:/ { sub(/^ *Socket errors: */, ""); print "socket errors: " $0 }
                 /Non-2xx or 3xx responses:/ { print "non-2xx/3xx: " $NF }' "$1" | paste -sd ';' - ;;
    esac
}

# ------------------------------------------------------------------------------------------------------------
# One measurement: fresh server, correctness check, warm-up, measured run, peak RSS, stop.
# Results go into R["server|scenario|c|field"].
# ------------------------------------------------------------------------------------------------------------
declare -A R
NOTES=()
SCENARIO=""     # the scenario being measured: ours_cmd and kestrel_cmd pick http or https from it
CURL_TLS=()

measure() {
    local server=$1 scenario=$2 conns=$3 round=$4 key="$1|$2|$3|$4"
    local port path url tag rc why
    if [[ $server == ours && -n $OURS_UNAVAILABLE ]]; then
        R[$key|na]=1
        return
    fi
    take_port
    port=$PORT
    path=$(scenario_path "$scenario")
    url="$(scenario_scheme "$scenario")://127.0.0.1:$port$path"
    SCENARIO=$scenario
    CURL_TLS=()
    scenario_is_https "$scenario" && CURL_TLS=(--cacert "$CERT_FILE")
    local -a extra
    mapfile -d '' -t extra < <(scenario_wrk_args "$scenario")
    tag="$server-$scenario-c$conns"
    ((ROUNDS == 1)) || tag+="-r$round"
    log "$tag: starting on port $port"
    start_server "$server" "$port" "$RUN/$tag.server.log"
    rc=0
    wait_ready "$url" || rc=$?
    if ((rc != 0)); then
        why=$([[ $rc == 1 ]] && echo "exited at startup" || echo "not answering after 30 s")
        stop_server
        R[$key|na]=1
        # A server that cannot start will not start for the next rows either; ours is then summed up under the table.
        if [[ $server == ours ]]; then
            OURS_UNAVAILABLE="$why (see results/$RUN_ID/$tag.server.log)"
        else
            NOTES+=("$tag: $why (see results/$RUN_ID/$tag.server.log)")
        fi
        log "$tag: $why"
        return
    fi
    if ! why=$(check_response "$url" "$(scenario_expect "$scenario")"); then
        stop_server
        R[$key|na]=1
        NOTES+=("$tag: wrong answer to GET $path: $why")
        log "$tag: wrong answer: $why"
        return
    fi

    timeout $((WARM_S + 30)) taskset -c "$CLIENT_CPU" \
        wrk -t"$THREADS" -c"$conns" -d"$WARMUP" "${extra[@]}" "$url" > "$RUN/$tag.warmup.txt" 2>&1 || true
    log "$tag: measuring ${DURATION}"
    if ! timeout $((DUR_S + 30)) taskset -c "$CLIENT_CPU" \
        wrk -t"$THREADS" -c"$conns" -d"$DURATION" --latency "${extra[@]}" "$url" > "$RUN/$tag.wrk.txt" 2>&1; then
        log "$tag: wrk failed (see $RUN/$tag.wrk.txt)"
    fi
    R[$key|rss]=$(peak_rss_kib "$SERVER_PID")
    if ! kill -0 "$SERVER_PID" 2> /dev/null; then
        NOTES+=("$tag: server died during the run")
    fi
    stop_server

    local f="$RUN/$tag.wrk.txt" errs
    R[$key|rps]=$(wrk_field "$f" rps)
    R[$key|p50]=$(wrk_field "$f" p50)
    R[$key|p99]=$(wrk_field "$f" p99)
    [[ -n ${R[$key|rps]} ]] || { R[$key|na]=1; NOTES+=("$tag: no wrk result (see results/$RUN_ID/$tag.wrk.txt)"); return; }
    errs=$(wrk_field "$f" errors)
    if [[ -n $errs ]]; then
        R[$key|flag]="†"
        NOTES+=("† $tag: $errs")
    fi
}

for scenario in $SCENARIOS; do
    for conns in $CONNECTIONS; do
        for ((round = 1; round <= ROUNDS; round++)); do
            # Alternate the order every round (A B C, C B A, ...): warm caches, thermal drift or a neighbour's burst
            # then do not always land on the same server.
            order=$(scenario_servers "$scenario")
            ((round % 2 == 1)) || order=$(printf '%s\n' $order | tac | paste -sd ' ' -)
            for server in $order; do
                measure "$server" "$scenario" "$conns" "$round"
            done
        done
    done
done

# Fold the rounds: median req/s, median p50, median p99, highest peak RSS; n/a only when no round produced a result.
median() { sort -g | awk '{v[NR] = $1} END { if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for scenario in $SCENARIOS; do
    for conns in $CONNECTIONS; do
        for server in $(scenario_servers "$scenario"); do
            key="$server|$scenario|$conns"
            rps="" p50="" p99="" rss=0 flag=""
            for ((round = 1; round <= ROUNDS; round++)); do
                k="$key|$round"
                [[ -z ${R[$k|na]:-} && -n ${R[$k|rps]:-} ]] || continue
                rps+="${R[$k|rps]}"$'\n' p50+="${R[$k|p50]}"$'\n' p99+="${R[$k|p99]}"$'\n'
                ((${R[$k|rss]:-0} > rss)) && rss=${R[$k|rss]}
                [[ -z ${R[$k|flag]:-} ]] || flag="†"
            done
            if [[ -z $rps ]]; then
                R[$key|na]=1
                continue
            fi
            R[$key|rps]=$(printf '%s' "$rps" | median | awk '{printf "%.0f", $1}')
            R[$key|min]=$(printf '%s' "$rps" | sort -g | head -1)
            R[$key|max]=$(printf '%s' "$rps" | sort -g | tail -1)
            R[$key|p50]=$(printf '%s' "$p50" | median)
            R[$key|p99]=$(printf '%s' "$p99" | median)
            R[$key|rss]=$rss
            R[$key|flag]=$flag
        done
    done
done

# ------------------------------------------------------------------------------------------------------------
# The table
# ------------------------------------------------------------------------------------------------------------
cell_rps() { local k=$1; [[ -n ${R[$k|na]:-} || -z ${R[$k|rps]:-} ]] && { echo "n/a"; return; }; echo "${R[$k|rps]}${R[$k|flag]:-}"; }
cell_lat() { local k=$1; [[ -n ${R[$k|na]:-} || -z ${R[$k|rps]:-} ]] && { echo "n/a"; return; }; echo "${R[$k|p50]} / ${R[$k|p99]}"; }
cell_spread() { local k=$1; [[ -n ${R[$k|na]:-} || -z ${R[$k|min]:-} ]] && { echo "n/a"; return; }; echo "${R[$k|min]}–${R[$k|max]}"; }
cell_rss() { local k=$1; [[ -n ${R[$k|na]:-} || -z ${R[$k|rss]:-} ]] && { echo "n/a"; return; }; awk -v k="${R[$k|rss]}" 'BEGIN {printf "%.0f", k / 1024}'; }
cell_ratio() {
    local a=$1 b=$2
    [[ -z ${R[$a|na]:-} && -z ${R[$b|na]:-} && -n ${R[$a|rps]:-} && -n ${R[$b|rps]:-} ]] || { echo "n/a"; return; }
    awk -v x="${R[$a|rps]}" -v y="${R[$b|rps]}" 'BEGIN { if (y > 0) printf "%.2f×", x / y; else print "n/a" }'
}

TABLE="$RUN/table.md"
{
    echo "### HttpSysPS bench — $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "commit $(git rev-parse --short HEAD 2> /dev/null || echo '?')$(git diff --quiet 2> /dev/null || echo ' (dirty)');" \
        "$(nproc) CPUs ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo));" \
        "kernel $(uname -r); dotnet $(dotnet --version 2> /dev/null); $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"
    echo "servers pinned to CPU $SERVER_CPU, wrk to CPU $CLIENT_CPU; wrk -t$THREADS -d$DURATION after a $WARMUP warm-up;" \
        "fresh server process per row$( ((ROUNDS == 1)) || echo " and round; median of $ROUNDS rounds (order flipped every round), min–max = spread of req/s over the rounds"); keep-alive (httpsnew: Connection: close, one TLS handshake per request); latency in ms; RSS = peak (VmHWM) in MiB"
    [[ -n "${BENCH_OURS_CMD:-}" ]] && echo "**\"ours\" overridden: BENCH_OURS_CMD='$BENCH_OURS_CMD'**"
    [[ -z $AA_SCENARIOS ]] || echo "A/A rows ($AA_SCENARIOS): a second Kestrel process, measured in the same rounds, in the \"ours\" columns against the Kestrel column: their ratio is this machine's noise"
    echo
    if [[ $NGINX_ON == 1 ]]; then
        echo "| scenario | conns | ours req/s | Kestrel req/s | ours/Kestrel | req/s min–max ours ; Kestrel | ours p50 / p99 | Kestrel p50 / p99 | nginx req/s | nginx p50 / p99 | peak RSS ours / Kestrel / nginx |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    else
        echo "| scenario | conns | ours req/s | Kestrel req/s | ours/Kestrel | req/s min–max ours ; Kestrel | ours p50 / p99 | Kestrel p50 / p99 | peak RSS ours / Kestrel |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    fi
    # row LABEL A B N CONNS: one table row, server A in the "ours" columns, B in the Kestrel ones, N (or "") nginx.
    row() {
        local label=$1 a=$2 b=$3 n=$4 conns=$5 r
        r="| $label | $conns | $(cell_rps "$a") | $(cell_rps "$b") | $(cell_ratio "$a" "$b") | $(cell_spread "$a") ; $(cell_spread "$b") | $(cell_lat "$a") | $(cell_lat "$b")"
        if [[ $NGINX_ON == 1 ]]; then
            if [[ -n $n ]]; then
                r+=" | $(cell_rps "$n") | $(cell_lat "$n") | $(cell_rss "$a") / $(cell_rss "$b") / $(cell_rss "$n") |"
            else
                r+=" | — | — | $(cell_rss "$a") / $(cell_rss "$b") / — |"
            fi
        else
            r+=" | $(cell_rss "$a") / $(cell_rss "$b") |"
        fi
        echo "$r"
    }
    for scenario in $SCENARIOS; do
        for conns in $CONNECTIONS; do
            n=""
            [[ " $(scenario_servers "$scenario") " != *" nginx "* ]] || n="nginx|$scenario|$conns"
            row "$scenario" "ours|$scenario|$conns" "kestrel|$scenario|$conns" "$n" "$conns"
        done
        if scenario_has_aa "$scenario"; then
            # The noise row: Kestrel (a second process) in the "ours" columns against the Kestrel column's own runs.
            for conns in $CONNECTIONS; do
                row "$scenario A/A: Kestrel / Kestrel" "aa|$scenario|$conns" "kestrel|$scenario|$conns" "" "$conns"
            done
        fi
    done
    # Issue 7: cache hits against the same handler with the cache off, both ours, same run.
    if [[ " $SCENARIOS " == *" cached "* && " $SCENARIOS " == *" uncached "* ]]; then
        echo
        for conns in $CONNECTIONS; do
            echo "- ours cached / ours uncached, c$conns: $(cell_ratio "ours|cached|$conns" "ours|uncached|$conns")"
        done
    fi
    if [[ $NGINX_ON == 1 && " $SCENARIOS " == *" static1m "* ]]; then
        for conns in $CONNECTIONS; do
            echo "- ours / nginx, static1m c$conns: $(cell_ratio "ours|static1m|$conns" "nginx|static1m|$conns")"
        done
    fi
    [[ -z $OURS_UNAVAILABLE ]] || { echo; echo "ours n/a: $OURS_UNAVAILABLE"; }
    if ((${#NOTES[@]} > 0)); then
        echo
        for n in "${NOTES[@]}"; do echo "- $n"; done
    fi
    echo
    echo "raw wrk output: bench/results/$RUN_ID/"
} > "$TABLE"

echo
cat "$TABLE"
