#!/usr/bin/env bash
# Start or stop a throw-away MariaDB on 127.0.0.1 for the tests.
#   mariadb.sh start DIR   mariadb-install-db into a private directory under
#                          /tmp (reachable by the mysql user even when the
#                          checkout is not), start on a free port, create
#                          database nbaq_test and user nbaq, write DIR/env
#   mariadb.sh stop DIR    stop the server and remove both directories
set -euo pipefail
action=${1:?start|stop}
dir=${2:?directory}
here=$(cd "$(dirname "$0")" && pwd)
server=$(command -v mariadbd || ls /usr/sbin/mariadbd 2>/dev/null || true)
[ -x "$server" ] && command -v mariadb-install-db >/dev/null ||
    { echo "mariadb.sh: no MariaDB server installed (apt-get install mariadb-server)" >&2; exit 1; }
password=nbaq-Test-pw1

# The data directory must be the mysql user's when we are root.
owner_args=()
[ "$(id -u)" = 0 ] && owner_args=(--user=mysql)

stop_server() {
    [ -f "$dir/env" ] || return 0
    local data pid
    data=$(sed -n 's/^NBAQ_TEST_MARIADB_DATADIR=//p' "$dir/env")
    pid=$(cat "$data/mariadbd.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    case "$data" in /tmp/nbaq-mariadb.*) rm -rf "$data" ;; esac
}

case "$action" in
start)
    if [ -f "$dir/env" ]; then
        . "$dir/env"
        if mariadb-admin --no-defaults -h 127.0.0.1 -P "$NBAQ_TEST_MARIADB_PORT" -u nbaq \
            -p"$password" ping >/dev/null 2>&1; then exit 0; fi
        stop_server
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    data=$(mktemp -d /tmp/nbaq-mariadb.XXXXXX)
    chmod 0755 "$data"
    # Its own tmpdir: two instances bootstrapping at once (the mariadb and
    # mariadb_doomed fixtures) must not share temporary tables in /tmp.
    mkdir "$data/tmp"
    [ "$(id -u)" = 0 ] && chown mysql: "$data" "$data/tmp"
    port=$(python3 "$here/free_port.py")
    mariadb-install-db --no-defaults "${owner_args[@]}" --datadir="$data/db" \
        --tmpdir="$data/tmp" --auth-root-authentication-method=socket --skip-test-db >"$dir/install.log" 2>&1 ||
        { cat "$dir/install.log" >&2; rm -rf "$data"; exit 1; }
    { echo "NBAQ_TEST_MARIADB_DATADIR=$data"; } >"$dir/env"
    # Detached, so that ctest does not wait for it; the pid file stops it.
    setsid "$server" --no-defaults "${owner_args[@]}" --datadir="$data/db" \
        --tmpdir="$data/tmp" --socket="$data/sock" --pid-file="$data/mariadbd.pid" --port="$port" \
        --skip-networking=0 --bind-address=127.0.0.1 --log-error="$data/error.log" \
        --innodb-buffer-pool-size="${NBAQ_MARIADB_BUFFER_POOL:-64M}" --innodb-log-file-size=48M \
        --innodb-flush-log-at-trx-commit=0 --skip-log-bin --max-connections=60 \
        </dev/null >/dev/null 2>&1 &
    for _ in $(seq 300); do
        mariadb-admin --no-defaults -S "$data/sock" -u root ping >/dev/null 2>&1 && break
        sleep 0.1
    done
    mariadb --no-defaults -S "$data/sock" -u root <<SQL ||
CREATE DATABASE nbaq_test;
CREATE USER 'nbaq'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO 'nbaq'@'127.0.0.1';
SQL
        { cat "$data/error.log" >&2; stop_server; exit 1; }
    {
        echo "NBAQ_TEST_MARIADB_DATADIR=$data"
        echo "NBAQ_TEST_MARIADB_PORT=$port"
        echo "NBAQ_TEST_MARIADB_PASSWORD=$password"
        echo "NBAQ_TEST_MARIADB_URL=mysql://nbaq:$password@127.0.0.1:$port/nbaq_test"
    } >"$dir/env.tmp"
    mv "$dir/env.tmp" "$dir/env"
    echo "mariadb started on 127.0.0.1:$port"
    ;;
stop)
    stop_server
    rm -rf "$dir"
    ;;
*) echo "usage: mariadb.sh start|stop DIR" >&2; exit 64 ;;
esac
