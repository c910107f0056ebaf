#!/usr/bin/env python3
"""Local-directory listing against `du -sb`, run by hand (figures in
docs/performance.md):

    bench/objstore/local_bench.py [--build build] [--count 100000]
                                  [--rounds 9] [--tree DIR]
                                  [--baseline OTHER_BUILD]

Writes COUNT small files (make_objects.py: 20 sources x 30 dates) into a
temporary directory (or uses --tree), then runs, alternately, ROUNDS times
each, pinned to one core with a warm page cache:
  du      du -sb DIR (reads every directory, stats every file)
  list    objstore_bench DIR: the walk alone, no listing cache
  first   objstore_bench --cache-dir EMPTY DIR: the first check of a run,
          which lists and writes the shared listing cache
  replay  objstore_bench --cache-dir FULL DIR: a later check of the run
  host    nbaq-host with one object_count check of DIR (the whole run:
          host start, plugin load, the check's process, the cache write;
          CPU time includes the check's process)
With --baseline, the objstore_bench of another build (an older commit)
runs "list" and "first" too, in the same rounds ("list@base",
"first@base"). Prints, for wall time and for CPU time (user + system, from wait4), the
median and range in ms and the median of the per-round ratios to du.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd):
    """Wall and CPU ms of one run of cmd."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = (time.monotonic() - start) * 1000
    if status != 0:
        sys.exit(f"{cmd[0]} failed: status {status}")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def summary(values):
    return (f"{statistics.median(values):7.0f} "
            f"({min(values):.0f}-{max(values):.0f})")


def ratio(values, reference):
    r = sorted(v / d for v, d in zip(values, reference))
    return f"{statistics.median(r):.2f} ({r[0]:.2f}-{r[-1]:.2f})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(HERE, "..", "..", "build"))
    ap.add_argument("--count", type=int, default=100000)
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--tree")
    ap.add_argument("--baseline")
    args = ap.parse_args()
    bench = os.path.join(os.path.abspath(args.build), "bench", "objstore",
                         "objstore_bench")
    subprocess.run(["cmake", "--build", args.build, "--target",
                    "objstore_bench", "--target", "nbaq-host", "--target",
                    "object_count"], check=True, stdout=subprocess.DEVNULL)
    host = os.path.join(os.path.abspath(args.build), "nbaq-host")
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    with tempfile.TemporaryDirectory(prefix="nbaq-bench-local.") as work:
        tree = args.tree
        if not tree:
            tree = os.path.join(work, "tree")
            subprocess.run([sys.executable, os.path.join(HERE,
                            "make_objects.py"), tree, str(args.count)],
                           check=True)
        full, empty = os.path.join(work, "full"), os.path.join(work, "empty")
        os.mkdir(full)
        run(["du", "-sb", tree])  # warm the page cache
        run([bench, "--cache-dir", full, tree])
        config = os.path.join(work, "monitor.yaml")
        with open(config, "w") as f:
            f.write("monitor: bench\nchecks:\n  - name: count\n"
                    "    plugin: object_count\n"
                    f"    options:\n      url: {tree}\n")
        commands = {"du": ["du", "-sb", tree], "list": [bench, tree],
                    "first": [bench, "--cache-dir", empty, tree],
                    "replay": [bench, "--cache-dir", full, tree],
                    "host": [host, "-q", "-c", config]}
        if args.baseline:
            base = os.path.join(os.path.abspath(args.baseline), "bench",
                                "objstore", "objstore_bench")
            commands["list@base"] = [base, tree]
            commands["first@base"] = [base, "--cache-dir", empty, tree]
        wall = {k: [] for k in commands}
        cpu = {k: [] for k in commands}
        for _ in range(args.rounds):
            for name, cmd in commands.items():
                if name.startswith("first"):
                    shutil.rmtree(empty, ignore_errors=True)
                    os.mkdir(empty)
                w, c = run(pin + cmd)
                wall[name].append(w)
                cpu[name].append(c)
    print(f"{args.count} files, {args.rounds} rounds; ms: median (range); "
          "x du: median of per-round ratios (range)")
    for name in commands:
        print(f"{name:10} wall {summary(wall[name])} x du {ratio(wall[name], wall['du'])}"
              f"   cpu {summary(cpu[name])} x du {ratio(cpu[name], cpu['du'])}")


if __name__ == "__main__":
    main()
