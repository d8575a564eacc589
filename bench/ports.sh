# bench/ports.sh — sourced by bench/run.sh and bench/soak/lib.sh (not run): a fresh local port per server start, so no
# start ever meets the previous server's TIME_WAIT sockets. The caller defines die and sets NEXT_PORT (the first port
# to try); take_port sets PORT and advances NEXT_PORT in the calling shell (so never call it in a $(...) subshell).
port_free() { ! (: > "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }
take_port() {
    local i first=$NEXT_PORT
    for ((i = 0; i < 200; i++)); do
        PORT=$NEXT_PORT
        NEXT_PORT=$((NEXT_PORT + 1))
        port_free "$PORT" && return 0
    done
    die "no free port from $first to $((NEXT_PORT - 1))"
}
