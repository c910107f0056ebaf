#!/usr/bin/env bash
# Configure unixODBC for the tests, in files of our own (ODBCSYSINI and
# ODBCINI), never /etc: Debian's psqlODBC against the test PostgreSQL and
# MariaDB Connector/ODBC against the test MariaDB.
#   odbc.sh start DIR   write DIR/odbcinst.ini, DIR/odbc.ini and DIR/env
#                       (needs the postgres and mariadb fixtures running)
#   odbc.sh stop DIR    remove DIR
set -euo pipefail
action=${1:?start|stop}
dir=${2:?directory}
services=$(dirname "$dir")
driver_dir=/usr/lib/x86_64-linux-gnu/odbc
[ -d "$driver_dir" ] || driver_dir=$(dirname "$(dpkg -L odbc-postgresql 2>/dev/null | grep psqlodbcw.so | head -n 1)")

case "$action" in
start)
    for f in "$driver_dir/psqlodbcw.so" "$driver_dir/libmaodbc.so"; do
        [ -f "$f" ] || { echo "odbc.sh: $f missing (apt-get install odbc-postgresql odbc-mariadb)" >&2; exit 1; }
    done
    . "$services/postgres/env"
    . "$services/mariadb/env"
    rm -rf "$dir"
    mkdir -p "$dir"
    cat >"$dir/odbcinst.ini" <<INI
[nbaq PostgreSQL]
Driver=$driver_dir/psqlodbcw.so

[nbaq MariaDB]
Driver=$driver_dir/libmaodbc.so

[nbaq Uninstalled]
Driver=$dir/no-such-driver/libnbaq_uninstalled.so
INI
    cat >"$dir/odbc.ini" <<INI
[nbaq_pg]
Driver=nbaq PostgreSQL
Servername=127.0.0.1
Port=$NBAQ_TEST_PG_PORT
Database=nbaq_test
Username=nbaq

[nbaq_mariadb]
Driver=nbaq MariaDB
Server=127.0.0.1
Port=$NBAQ_TEST_MARIADB_PORT
Database=nbaq_test
User=nbaq

[nbaq_uninstalled]
Driver=nbaq Uninstalled
Server=127.0.0.1
INI
    {
        echo "ODBCSYSINI=$dir"
        echo "ODBCINI=$dir/odbc.ini"
        echo "NBAQ_TEST_ODBC_PG=odbc:DSN=nbaq_pg"
        echo "NBAQ_TEST_ODBC_MARIADB=odbc:DSN=nbaq_mariadb;PWD=$NBAQ_TEST_MARIADB_PASSWORD"
    } >"$dir/env"
    echo "odbc configured in $dir"
    ;;
stop) rm -rf "$dir" ;;
*) echo "usage: odbc.sh start|stop DIR" >&2; exit 64 ;;
esac
