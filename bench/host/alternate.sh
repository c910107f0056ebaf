# Sourced by the host's benchmarks that compare two builds: runs
# "<build>/nbaq-host ARGS..." for the build under test and the reference
# alternately, 7 times each, and prints each build's median wall and CPU
# time (user + sys, the host and its children), labelled.
# Usage: alternate_host_runs WORK_DIR LABEL BUILD REFERENCE -- ARGS...
alternate_host_runs() {
    local work=$1 label=$2 build=$3 reference=$4
    shift 5
    for _ in 1 2 3 4 5 6 7; do
        for b in "$build" "$reference"; do
            /usr/bin/time -f "$b %e %U %S" -a -o "$work/times" \
                "$b/nbaq-host" "$@" >/dev/null
        done
    done
    python3 - "$work/times" "$label" "$build" "$reference" <<'PY'
import statistics, sys
path, label, builds = sys.argv[1], sys.argv[2], sys.argv[3:]
rows = [line.split() for line in open(path)]
for b in builds:
    mine = [r for r in rows if r[0] == b]
    wall = statistics.median(float(r[1]) for r in mine)
    cpu = statistics.median(float(r[2]) + float(r[3]) for r in mine)
    print(f"{b}: {label} median wall {wall:.3f} s, "
          f"CPU {cpu:.3f} s ({len(mine)} runs)")
PY
}
