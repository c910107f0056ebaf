#!/usr/bin/env python3
"""Python's json module over every file of a directory, on one core.

    python_json_bench.py [--repeat N] DIR

Each file is read first; json.loads then runs --repeat times on its bytes
(one line at a time for .jsonl/.ndjson) and the best time is kept. Prints
the same line as jsonv_bench.
"""
import argparse
import json
import os
import resource
import time


def load(data, lines):
    if not lines:
        json.loads(data)
        return
    for line in data.split(b"\n"):
        if line.strip():
            json.loads(line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("dir")
    args = ap.parse_args()
    files = valid = 0
    total = seconds = 0.0
    for name in sorted(os.listdir(args.dir)):
        if name.startswith("."):
            continue
        with open(os.path.join(args.dir, name), "rb") as f:
            data = f.read()
        lines = name.endswith((".jsonl", ".ndjson"))
        best, ok = float("inf"), True
        for _ in range(args.repeat):
            start = time.perf_counter()
            try:
                load(data, lines)
            except ValueError:
                ok = False
            best = min(best, time.perf_counter() - start)
        files += 1
        valid += ok
        total += len(data)
        seconds += best
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"python memory: {files} files, {total / 1e6:.1f} MB, {valid} valid, "
          f"{seconds:.3f} s, {total / 1e6 / seconds:.0f} MB/s, peak RSS {rss} KB")


if __name__ == "__main__":
    main()
