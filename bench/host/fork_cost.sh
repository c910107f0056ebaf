#!/usr/bin/env bash
# What a fork costs with and without nbaq-host's shared libraries mapped:
# the reference loop of bench_host (fork, _exit, waitpid) in a small
# process, alternately bare and with every library nbaq-host links
# preloaded (LD_PRELOAD), and with nbaq-forkserver's.
# Usage: bench/host/fork_cost.sh [build-dir] [forks] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
forks=${2:-2000}
rounds=${3:-3}
cmake --build "$build" --target bench_host nbaq-host nbaq-forkserver >/dev/null
libs_of() { ldd "$1" | awk '$3 ~ /^\// {print $3}' | paste -sd: -; }
host_libs=$(libs_of "$build/nbaq-host")
server_libs=$(libs_of "$build/nbaq-forkserver")
echo "nbaq-host links $(tr ':' '\n' <<<"$host_libs" | wc -l) libraries," \
    "nbaq-forkserver $(tr ':' '\n' <<<"$server_libs" | wc -l)"
for ((r = 1; r <= rounds; r++)); do
    echo "round $r"
    echo "  bare:                  $("$build/bench/host/bench_host" --fork-loop "$forks")"
    echo "  nbaq-host's libraries: $(LD_PRELOAD=$host_libs "$build/bench/host/bench_host" --fork-loop "$forks")"
    echo "  the server's:          $(LD_PRELOAD=$server_libs "$build/bench/host/bench_host" --fork-loop "$forks")"
done
