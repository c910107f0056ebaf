#!/usr/bin/env bash
# Start or stop a throw-away PostgreSQL on 127.0.0.1 for the tests.
#   postgres.sh start DIR   initdb into DIR/data, start on a free port,
#                           create database nbaq_test, write DIR/env
#   postgres.sh stop DIR    stop the server and remove DIR
set -euo pipefail
action=${1:?start|stop}
dir=${2:?directory}
here=$(cd "$(dirname "$0")" && pwd)
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "postgres.sh: no PostgreSQL server installed (apt-get install postgresql)" >&2; exit 1; }

# initdb refuses to run as root: run the server as the postgres user then.
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
start)
    if [ -f "$dir/env" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        exit 0
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port=$(python3 "$here/free_port.py")
    as_owner "$bindir/initdb" -D "$dir/data" -U nbaq --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off" start >/dev/null ||
        { cat "$dir/server.log" >&2; exit 1; }
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
    if [ -d "$dir/data" ]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*) echo "usage: postgres.sh start|stop DIR" >&2; exit 64 ;;
esac
