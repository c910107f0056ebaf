#!/usr/bin/env bash
# Start or stop a throw-away PostgreSQL on 127.0.0.1 for the tests.
#   postgres.sh start DIR   initdb into a new data folder, start on a free
#                           port, create database nbaq_test, write DIR/env
#   postgres.sh stop DIR    stop the server, remove its data and DIR
# The data folder (with its socket and log) is a mktemp -d under /tmp,
# recorded in DIR/datadir: as root the server runs as the postgres user,
# which may not reach DIR (a checkout under /root, mode 0700).
set -euo pipefail
action=${1:?start|stop}
dir=${2:?directory}
here=$(cd "$(dirname "$0")" && pwd)
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "postgres.sh: no PostgreSQL server installed (apt-get install postgresql)" >&2; exit 1; }

# initdb refuses to run as root: run the server as the postgres user then,
# from a folder it can enter.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        (cd /tmp && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}
datadir() { cat "$dir/datadir" 2>/dev/null || true; }

stop_server() {
    local data
    data=$(datadir)
    if [ -n "$data" ] && [ -d "$data/data" ]; then
        as_owner "$bindir/pg_ctl" -D "$data/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    case "$data" in /tmp/nbaq-pg.*) rm -rf "$data" ;; esac
    rm -rf "$dir"
}

case "$action" in
start)
    data=$(datadir)
    if [ -f "$dir/env" ] && [ -n "$data" ] &&
        as_owner "$bindir/pg_ctl" -D "$data/data" status >/dev/null 2>&1; then
        exit 0
    fi
    stop_server
    mkdir -p "$dir"
    data=$(mktemp -d /tmp/nbaq-pg.XXXXXX)
    echo "$data" >"$dir/datadir"
    [ "$(id -u)" = 0 ] && chown postgres "$data"
    port=$(python3 "$here/free_port.py")
    as_owner "$bindir/initdb" -D "$data/data" -U nbaq --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bindir/pg_ctl" -D "$data/data" -l "$data/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c full_page_writes=off" start >/dev/null ||
        { cat "$data/server.log" >&2; exit 1; }
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U nbaq nbaq_test
    {
        echo "NBAQ_TEST_PG_PORT=$port"
        echo "NBAQ_TEST_PG_URL=postgresql://nbaq@127.0.0.1:$port/nbaq_test"
        echo "NBAQ_TEST_PG_BINDIR=$bindir"
    } >"$dir/env.tmp"
    mv "$dir/env.tmp" "$dir/env"
    echo "postgres started on 127.0.0.1:$port"
    ;;
stop)
    stop_server
    ;;
*) echo "usage: postgres.sh start|stop DIR" >&2; exit 64 ;;
esac
