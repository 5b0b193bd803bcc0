#!/usr/bin/env bash
# Start (or stop) a throw-away PostgreSQL server for the Regelbank test suite.
#
#   scripts/postgres.sh [start]   install Debian's postgresql if missing, initialise a cluster in
#                                 $PGDATA_DIR (default: /tmp/regelbank-pg-<hash of the checkout path>),
#                                 listen on 127.0.0.1 only,
#                                 create database regelbank_test, print its SQLAlchemy URL
#   scripts/postgres.sh stop      stop that server (data directory is kept)
#   scripts/postgres.sh status    exit 0 if it is running
#   scripts/postgres.sh url       print the URL without starting anything
#
# Safe to run twice: every step checks whether it is already done. Only the last line of `start`
# goes to stdout (the URL), so `export REGELBANK_TEST_POSTGRES_URL=$(scripts/postgres.sh)` works.
# Environment: PGDATA_DIR, REGELBANK_PG_PORT (default 54329), REGELBANK_PG_DB (default regelbank_test).
# Authentication is `trust` on loopback: this server is for tests, never for real data.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${REGELBANK_PG_PORT:-54329}"
DB="${REGELBANK_PG_DB:-regelbank_test}"
# The cluster lives under /tmp, not in the checkout: the checkout's parent may be closed to the
# postgres user (a clone inside `mktemp -d`, a home directory with mode 700), and initdb must be
# able to reach its data directory. One directory per checkout, so two clones never share one.
DATA="${PGDATA_DIR:-/tmp/regelbank-pg-$(printf '%s' "$REPO" | sha1sum | cut -c1-12)}"
PGUSER_OS=postgres
URL="postgresql+psycopg://postgres@127.0.0.1:${PORT}/${DB}"

log() { echo "postgres.sh: $*" >&2; }

find_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
    done
    return 1
}

# Run a command as the unprivileged database owner (PostgreSQL refuses to run as root).
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        # from / : the caller's working directory may be closed to the postgres user
        (cd / && runuser -u "$PGUSER_OS" -- "$@")
    else
        "$@"
    fi
}

ensure_installed() {
    if find_bindir >/dev/null; then return 0; fi
    log "PostgreSQL server not found; installing Debian package postgresql"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y postgresql >&2
    find_bindir >/dev/null || { log "installation failed: no initdb under /usr/lib/postgresql/*/bin"; exit 1; }
}

# true when something already listens on 127.0.0.1:$1
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

is_running() {
    local bindir="$1"
    [ -f "$DATA/PG_VERSION" ] && as_owner "$bindir/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

start() {
    ensure_installed
    local bindir; bindir="$(find_bindir)"
    if [ "$(id -u)" -eq 0 ]; then
        id "$PGUSER_OS" >/dev/null 2>&1 || { log "user $PGUSER_OS does not exist"; exit 1; }
    else
        PGUSER_OS="$(id -un)"
    fi

    if [ ! -f "$DATA/PG_VERSION" ]; then
        log "initialising cluster in $DATA"
        mkdir -p "$(dirname "$DATA")" "$DATA"
        if [ "$(id -u)" -eq 0 ]; then chown "$PGUSER_OS" "$DATA"; fi
        chmod 700 "$DATA"
        as_owner "$bindir/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >&2 \
            || as_owner "$bindir/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C >&2
    fi

    if is_running "$bindir"; then
        PORT="$(sed -n 4p "$DATA/postmaster.pid")"   # the port it was started on
        log "already running ($DATA) on port $PORT"
    else
        # another server (a leftover from an earlier run, another checkout) may hold the port, and so
        # may the local end of any TCP connection (these ports are in the ephemeral range), which no
        # connect test sees: then the bind fails and the next port is tried
        local tries=0
        while true; do
            while port_in_use "$PORT"; do
                log "port $PORT is in use by another server; trying $((PORT + 1))"
                PORT=$((PORT + 1))
            done
            log "starting on 127.0.0.1:$PORT"
            # listen on loopback only; the unix socket lives in the data directory, not /var/run
            if as_owner "$bindir/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
                -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories='$DATA' -c max_connections=100 -c fsync=off" \
                start >&2; then
                break
            fi
            tries=$((tries + 1))
            if [ "$tries" -lt 10 ] && tail -n 20 "$DATA/server.log" | grep -q "Address already in use"; then
                log "port $PORT could not be bound; trying $((PORT + 1))"
                PORT=$((PORT + 1))
                continue
            fi
            log "start failed; last lines of $DATA/server.log:"; tail -n 20 "$DATA/server.log" >&2; exit 1
        done
    fi

    local psql="$bindir/psql"
    local exists
    exists="$("$psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")"
    if [ "$exists" != "1" ]; then
        log "creating database $DB"
        "$psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qc "CREATE DATABASE \"$DB\"" >&2
    fi
    echo "postgresql+psycopg://postgres@127.0.0.1:${PORT}/${DB}"
}

stop() {
    local bindir
    bindir="$(find_bindir)" || { log "PostgreSQL not installed; nothing to stop"; return 0; }
    if [ "$(id -u)" -ne 0 ]; then PGUSER_OS="$(id -un)"; fi
    if is_running "$bindir"; then
        as_owner "$bindir/pg_ctl" -D "$DATA" -m fast -w stop >&2
    else
        log "not running ($DATA)"
    fi
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    status) bindir="$(find_bindir)" && is_running "$bindir" ;;
    url) echo "$URL" ;;
    *) echo "usage: $0 [start|stop|status|url]" >&2; exit 2 ;;
esac
