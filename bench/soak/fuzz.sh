#!/usr/bin/env bash
# bench/soak/fuzz.sh — 1,000,000 mutated requests (bench/soak/fuzz.py) against a Release `httpsys serve` pinned to
# CPU 0: the compiled HelloHandler on /plaintext/, a static root on /static/ (4k.bin, with a secret file beside the
# root to catch path traversal) and the catalog handler on /cached/, one port. See bench/README.md, "Soak runs".
#
#     flock /tmp/httpsysps-build.lock bash bench/soak/fuzz.sh [--seed N] [any other fuzz.py option]
#
# Bar (exit 0 when met): no 5xx other than 501/505 (the engine's answers to an unimplemented transfer coding and an
# unsupported HTTP version), the server alive, RSS at the end within 20 MB of RSS after the first 100k mutated
# requests, a normal GET /plaintext still answered 200 afterwards, no file outside the root served.
# Knobs: FUZZ_REQUESTS=1000000 FUZZ_CONCURRENCY=128 FUZZ_MAX_SECONDS=900 FUZZ_SEED (else random, printed), and lib.sh's.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REQUESTS=${FUZZ_REQUESTS:-1000000}
CONCURRENCY=${FUZZ_CONCURRENCY:-128}
MAX_SECONDS=${FUZZ_MAX_SECONDS:-900}
SEED=${FUZZ_SEED:-$("$PY" -c 'import random; print(random.SystemRandom().randrange(1, 2**31))')}

build_release

WORK=$(mktemp -d /tmp/httpsysps-fuzz.XXXXXX)
trap 'cleanup; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/www"
head -c 4096 /dev/urandom > "$WORK/www/4k.bin"
SECRET="httpsysps-fuzz-secret-$SEED-$RANDOM$RANDOM"
echo "$SECRET" > "$WORK/secret.txt"   # beside the root, never under it: seen in a response = traversal

take_port
BASE="http://127.0.0.1:$PORT"
start_server "$OUT.server.log" dotnet "$HOST_DLL" serve \
    --url "$BASE/plaintext/" --handler "$HELLO_DLL:$HELLO_TYPE" \
    --url "$BASE/static/" --root "$WORK/www" \
    --url "$BASE/cached/" --handler "$HELLO_DLL:$CATALOG_TYPE" \
    --quiet
wait_ready "$BASE/plaintext" || die "the server did not start (see $OUT.server.log)"
log "server pid $SERVER_PID on port $PORT; seed $SEED; log $OUT.cases.log"

rc=0
taskset -c "$CLIENT_CPU" "$PY" "$REPO/bench/soak/fuzz.py" --port "$PORT" --pid "$SERVER_PID" --seed "$SEED" \
    --requests "$REQUESTS" --concurrency "$CONCURRENCY" --max-seconds "$MAX_SECONDS" \
    --known-body "$WORK/www/4k.bin" --known-body "$REPO/bench/catalog.json" --secret "$SECRET" \
    --log "$OUT.cases.log" --json "$OUT.json" "$@" > "$OUT.md" || rc=$?
if ! server_alive; then
    log "the server is gone; its log: $OUT.server.log"
    SERVER_CRASHED=1
    ((rc != 0)) || rc=1
fi
{
    echo "### soak: fuzz"
    echo
    describe_machine
    cat "$OUT.md"
} > "$OUT.table.md"
cat "$OUT.table.md"
exit "$rc"
