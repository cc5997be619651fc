#!/usr/bin/env python3
"""What lock tracking costs a checked program: the checked mutex and rw_rwmap ports run with
CORACE_OPTIONS=detect_deadlocks=1 (the default: lock-order graph, wait-for cycles) and
detect_deadlocks=0 (races only), interleaved, round by round.

  tests/bench/deadlock_cost.py [-n ROUNDS] [--build-dir DIR]

Needs bench_mutex_checked and bench_rw_rwmap_checked built in DIR (default build-bench).
Each program prints its own timed figures (`mutex_contended4: 812.3 ns/op`...); the ratio
with/without is taken per round per figure, and the median reported.  Every run must exit 0
and print no WARNING line.  Target (issue 4): with/without <= 1.3x.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = [("bench_mutex_checked", ["2000000", "5000000"]), ("bench_rw_rwmap_checked", ["400000"])]
FIGURE = re.compile(r"^(\w+): ([0-9.]+) (\S+)$", re.M)


def run(binary, args, detect):
    env = dict(os.environ, CORACE_OPTIONS=f"detect_deadlocks={detect}", CO_SEED="1")
    p = subprocess.run([str(binary)] + args, env=env, capture_output=True, text=True, timeout=600)
    if p.returncode != 0 or "WARNING" in p.stderr:
        sys.exit(f"{binary.name} detect_deadlocks={detect}: exit {p.returncode}\n{p.stderr[-2000:]}")
    return {m.group(1): (float(m.group(2)), m.group(3)) for m in FIGURE.finditer(p.stdout)
            if "checksum" not in m.group(1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=5)
    ap.add_argument("--build-dir", default=str(ROOT / "build-bench"))
    a = ap.parse_args()
    bench = Path(a.build_dir) / "tests" / "bench"
    rows = []
    for name, args in PROGRAMS:
        on, off, ratios = {}, {}, {}
        for _ in range(a.n):
            with_ = run(bench / name, args, 1)
            without = run(bench / name, args, 0)
            for k, (v, unit) in with_.items():
                on.setdefault(k, []).append(v)
                off.setdefault(k, []).append(without[k][0])
                ratios.setdefault(k, []).append(v / without[k][0])
                rows_unit = unit
        for k in ratios:
            rows.append((k, statistics.median(off[k]), statistics.median(on[k]), rows_unit,
                         statistics.median(ratios[k]), min(ratios[k]), max(ratios[k])))
    print(f"| figure | without (detect_deadlocks=0) | with (default) | ratio [min-max] | target <= 1.3x |")
    print("|---|---|---|---|---|")
    for k, off_, on_, unit, med, lo, hi in rows:
        print(f"| {k} | {off_:.1f} {unit} | {on_:.1f} {unit} | {med:.2f} [{lo:.2f}-{hi:.2f}] | "
              f"{'met' if med <= 1.3 else 'NOT met'} |")
    print(f"\n{a.n} interleaved rounds per program; CO_SEED=1.")


if __name__ == "__main__":
    main()
