# bench/need-apt.sh — sourced by bench/run.sh and bench/soak/lib.sh (not run): one way of finding a tool.
# need_apt COMMAND PACKAGE: returns when COMMAND is on PATH; as root installs Debian's PACKAGE (output in $APT_LOG),
# otherwise stops with the install line. The caller defines log, die and APT_LOG.
need_apt() {
    command -v "$1" > /dev/null 2>&1 && return 0
    if [[ $(id -u) == 0 ]] && command -v apt-get > /dev/null 2>&1; then
        log "$1 not found; installing Debian package $2"
        timeout 300 apt-get update -qq > "$APT_LOG" 2>&1 || true
        timeout 300 apt-get install -y -qq --no-install-recommends "$2" >> "$APT_LOG" 2>&1 \
            || die "apt-get install $2 failed (see $APT_LOG)"
        command -v "$1" > /dev/null 2>&1 || die "$1 still missing after installing $2"
    else
        die "$1 is required: install it with 'sudo apt-get install $2' (or run this script as root to have it installed)"
    fi
}
