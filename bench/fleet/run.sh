#!/usr/bin/env bash
# The fleet of daemons on a throw-away PostgreSQL (127.0.0.1, stopped at
# the end). Usage:
#   bench/fleet/run.sh [BUILD_DIR] [CHECKS] [SECONDS]
#   1. bench_fleet: the per-run claim, 1,000 checks, 3 rounds;
#   2. throughput: CHECKS exec checks (default 1000) every 1 s with
#      `workers: 4`, run by 1, then 2, then 3 members for SECONDS (default
#      20) each: runs stored per second (from nbaq_check_results), and the
#      claims won and lost;
#   3. failover: 3 members, 12 checks every 1 s, lease 2 s; kill -9 the
#      member that ran most, and time until each of its checks runs again
#      on another member (the worst and the median).
# Build bench_fleet_all first: cmake --build BUILD_DIR --target bench_fleet_all
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:-build}")
checks=${2:-1000}
seconds=${3:-20}
host="$build/nbaq-host"
[ -x "$build/bench/fleet/bench_fleet" ] || { echo "run.sh: cmake --build $build --target bench_fleet_all" >&2; exit 1; }
dir=$(mktemp -d /tmp/nbaq-bench-fleet.XXXXXX)
chmod 755 "$dir"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    bash "$here/../../tests/services/postgres.sh" stop "$dir/pg"
    rm -rf "$dir"
}
trap cleanup EXIT
bash "$here/../../tests/services/postgres.sh" start "$dir/pg" >/dev/null
admin=$(sed -n 's/^NBAQ_TEST_PG_URL=//p' "$dir/pg/env")
psql="$(sed -n 's/^NBAQ_TEST_PG_BINDIR=//p' "$dir/pg/env")/psql"
q() { "$psql" "$1" -qtAc "$2"; }
newdb() { q "$admin" "CREATE DATABASE $1" >/dev/null; echo "${admin%/*}/$1"; }

echo "== 1. claim overhead (bench_fleet, loopback PostgreSQL)"
"$build/bench/fleet/bench_fleet" "$(newdb claims)" 1000 3

config() { # url checks lease
    printf 'monitor: bench\nworkers: 4\nhistory:\n  url: "%s"\n' "$1"
    printf 'daemon:\n  listen: 127.0.0.1:0\n  jitter: 0\n  fleet:\n    lease: %s\nchecks:\n' "$3"
    for i in $(seq 1 "$2"); do
        printf '  - name: c%d\n    plugin: exec\n    interval: 1s\n' "$i"
        printf '    options:\n      command: [sh, -c, "echo ok"]\n'
    done
}
start_members() { # count config
    for m in $(seq 1 "$1"); do
        "$host" -c "$2" --daemon >/dev/null 2>"$dir/member$m.log" &
        pids+=($!)
    done
}
stop_members() {
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    pids=()
}

echo "== 2. throughput: $checks checks every 1 s, ${seconds} s per fleet size"
printf '%-8s %12s %14s\n' members "runs/s" "runs claimed"
for n in 1 2 3; do
    url=$(newdb "tp$n")
    config "$url" "$checks" 15s >"$dir/tp$n.yaml"
    start_members "$n" "$dir/tp$n.yaml"
    sleep 5 # warm-up: registration and the first rounds
    from=$(q "$url" "SELECT count(*) FROM nbaq_check_results")
    sleep "$seconds"
    to=$(q "$url" "SELECT count(*) FROM nbaq_check_results")
    won=$(q "$url" "SELECT sum(claims) FROM nbaq_fleet_members")
    stop_members
    printf '%-8s %12.1f %14s\n' "$n" "$(echo "($to - $from) / $seconds" | bc -l)" "$won"
done

echo "== 3. failover after kill -9: 3 members, 12 checks every 1 s, lease 2 s"
url=$(newdb failover)
config "$url" 12 2s >"$dir/fo.yaml"
start_members 3 "$dir/fo.yaml"
sleep 6
victim=$(q "$url" "SELECT pid FROM nbaq_fleet_members ORDER BY claims DESC LIMIT 1")
q "$url" "CREATE TABLE victim_checks AS SELECT check_name FROM nbaq_fleet_schedule
          WHERE last_member LIKE '%:$victim' OR lease_owner LIKE '%:$victim'"
kill -9 "$victim"
killed=$(date +%s%3N)
sleep 6
# Each of the victim's checks: from its last start before the kill to its
# first start after it (the schedule gap), and from the kill to that start.
q "$url" "WITH gaps AS (SELECT v.check_name,
            (SELECT min(started_ms) FROM nbaq_check_results r
              WHERE r.check_name = v.check_name AND started_ms > $killed) AS next,
            (SELECT max(started_ms) FROM nbaq_check_results r
              WHERE r.check_name = v.check_name AND started_ms <= $killed) AS prev
            FROM victim_checks v)
          SELECT count(*) || ' checks of the victim; kill to next run: worst '
                 || max(next - $killed) || ' ms, median '
                 || percentile_disc(0.5) WITHIN GROUP (ORDER BY next - $killed)
                 || ' ms; gap between runs: worst ' || max(next - prev) || ' ms'
          FROM gaps"
stop_members
