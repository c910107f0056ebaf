#!/usr/bin/env bash
# Install, with apt-get, whatever nbaq needs and this machine lacks.
#   install-deps.sh         build and run (the demo)
#   install-deps.sh --test  also every server and tool the tests start
set -euo pipefail
build_pkgs=(build-essential cmake pkg-config python3
    libyaml-dev libcjson-dev libcurl4-openssl-dev libpq-dev libsqlite3-dev
    libexpat1-dev zlib1g-dev libcmocka-dev libmicrohttpd-dev
    monitoring-plugins-basic libssl-dev libmariadb-dev unixodbc-dev)
test_pkgs=(postgresql nodejs npm python3-botocore python3-boto3 python3-aiosmtpd awscli
    prometheus prometheus-alertmanager chromium sqlite3 curl python3-jsonschema openssl
    apache2-utils clang libclang-rt-14-dev mariadb-server mariadb-client unixodbc
    odbc-postgresql odbc-mariadb)

want=("${build_pkgs[@]}")
[ "${1:-}" = "--test" ] && want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
    # Node.js may come from elsewhere than Debian (NodeSource): a working
    # node and npm on PATH is enough.
    case "$p" in nodejs | npm) command -v "${p%js}" >/dev/null 2>&1 && continue ;; esac
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "install-deps.sh: missing packages: ${missing[*]}; run as root or install them" >&2
    exit 1
fi
echo "install-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian's packages start their daemons; the tests start their own.
for svc in postgresql mariadb prometheus prometheus-alertmanager prometheus-node-exporter; do
    service "$svc" stop >/dev/null 2>&1 || true
done
