# Sourced by host_run.sh and host_compare.sh: the checks of the benchmark
# run, N metrics in exec checks of 1,000 perfdata values each.

# detect_write_emit DIR N: DIR/emit.py FIRST prints m<FIRST>..=1000;... with
# a wobble of a few units that depends on the run number read from
# DIR/run, so that the series are noisy, not constant.
detect_write_emit() {
    cat >"$1/emit.py" <<PY
import sys
run = int(open("$1/run").read())
first = int(sys.argv[1])
parts = []
for i in range(first, min(first + 1000, $2)):
    parts.append("m%d=%d" % (i, 1000 + ((i * 7 + run * 13) % 11) - 5))
print("OK - %d metrics | " % len(parts) + " ".join(parts))
PY
}

# detect_config N CMD: the monitor on stdout; each check runs CMD FIRST
# (CMD a YAML flow list's items: python3, emit.py) in the config's folder.
detect_config() {
    echo "monitor: detect-bench"
    echo "history: {url: history.db}"
    echo "checks:"
    for first in $(seq 0 1000 $(($1 - 1))); do
        cat <<YAML
  - name: many$first
    plugin: exec
    timeout: 120s
    options:
      command: [$2, "$first"]
      cwd: .
      max_output: 16M
    thresholds:
      "m*": {anomaly: true}
YAML
    done
}
