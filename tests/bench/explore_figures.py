#!/usr/bin/env python3
"""How fast `corace explore` finds the schedule-dependent bugs of the samples, and how many
schedules per second it runs.

  tests/bench/explore_figures.py [--corace PATH] [--schedules N] [--seed S]
                                 [--rate-sample FILE] [--rate-schedules N]

For each samples/*.c with a line-2 `// explore: KINDS`, runs
  corace explore --strategy random|pct --schedules N --seed S --keep-going --format json -o F
(default N=1000, S=1) and reports, per strategy, whether every expected kind was found and the
first schedule that showed each (schedule i has seed S+i-1: one shard, stride 1), with the
exploration's wall time.  --keep-going, so that a kind every schedule shows (a lock-order
inversion) does not stop the search before the schedule that hangs.  Then the throughput:
schedules/s on a small clean sample (default samples/next_lost_update_fixed.c, 2000 schedules),
per strategy, which must give no finding.  Prints a markdown table (docs/PERFORMANCE.md quotes
it).  The sample is built (and cached) once before anything is timed.  Exit 1 when an expected
kind is not found or the throughput sample reports something.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STRATEGIES = ("random", "pct")
# The JSON records' kinds, named as on the samples' expect/explore lines.
KIND_NAME = {"partial-deadlock": "partial", "recursive-read": "lock-order", "runtime-error": "panic"}


def default_corace():
    for d in ("build-smp", "build"):
        p = ROOT / d / "cli" / "corace"
        if p.exists():
            return str(p)
    return "corace"


def explore(corace, src, strategy, schedules, seed, timeout):
    """Runs one exploration; returns (exit status, wall seconds, findings, summary)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "explore.json"
        cmd = [corace, "explore", "--strategy", strategy, "--schedules", str(schedules), "--seed",
               str(seed), "--keep-going", "--format", "json", "-o", str(out), str(src)]
        t0 = time.monotonic()
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
        wall = time.monotonic() - t0
        if p.returncode not in (0, 2, 66):
            sys.exit(f"{' '.join(cmd)}: exit {p.returncode}\n{p.stderr[-3000:]}")
        findings, summary = [], {}
        text = out.read_text() if out.exists() else ""
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{' '.join(cmd)}: line {n} of its JSON output: {e}: {line[:200]}")
            if obj.get("kind") == "summary":
                summary = obj
            else:
                findings.append(obj)
        if not summary:
            sys.exit(f"{' '.join(cmd)}: no summary line in its JSON output\n{p.stderr[-3000:]}")
        return p.returncode, wall, findings, summary


def first_schedules(findings, seed):
    """{kind: the first schedule (1-based) that showed it}."""
    first = {}
    for f in findings:
        k = KIND_NAME.get(f.get("kind"), f.get("kind"))
        s = f.get("seed")
        if isinstance(s, int):
            first[k] = min(first.get(k, s - seed + 1), s - seed + 1)
    return first


def summary_rate(summary, schedules, wall):
    """Schedules/s: the summary's own figure when it has one, else schedules run / wall time."""
    for key in ("schedules_per_second", "schedules_per_s", "rate"):
        if isinstance(summary.get(key), (int, float)):
            return float(summary[key])
    run = summary.get("schedules", schedules)
    return (run if isinstance(run, (int, float)) else schedules) / wall


def explore_kinds(src):
    lines = src.read_text().splitlines()
    m = re.fullmatch(r"// explore: ([a-z,-]+)", lines[1].strip()) if len(lines) > 1 else None
    return m.group(1).split(",") if m else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corace", default=default_corace())
    ap.add_argument("--schedules", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rate-sample", default=str(ROOT / "samples" / "next_lost_update_fixed.c"))
    ap.add_argument("--rate-schedules", type=int, default=2000)
    ap.add_argument("--timeout", type=float, default=1800)
    a = ap.parse_args()

    samples = [(s, k) for s in sorted((ROOT / "samples").glob("*.c")) if (k := explore_kinds(s))]
    if not samples:
        sys.exit("no sample has a '// explore:' line")
    ok = True
    rows = []
    for src, want in samples:
        # Build (and cache) it first, so that no timing below includes the compiler.
        subprocess.run([a.corace, "run", "--seed", "1", str(src)], stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=a.timeout)
        for st in STRATEGIES:
            rc, wall, findings, summary = explore(a.corace, src, st, a.schedules, a.seed, a.timeout)
            first = first_schedules(findings, a.seed)
            missing = [k for k in want if k not in first]
            ok &= not missing
            found = ", ".join(f"{k} @{first[k]}" for k in want if k in first)
            extra = sorted(set(first) - set(want))
            if extra:
                found += "; also " + ", ".join(f"{k} @{first[k]}" for k in extra)
            rows.append((src.stem, st, ",".join(want), "yes" if not missing else "NO: " + ",".join(missing),
                         found or "-", f"{wall:.1f}", f"{summary_rate(summary, a.schedules, wall):.0f}"))

    rate_src = Path(a.rate_sample)
    subprocess.run([a.corace, "run", "--seed", "1", str(rate_src)], stdin=subprocess.DEVNULL,
                   capture_output=True, timeout=a.timeout)
    rates = []
    for st in STRATEGIES:
        rc, wall, findings, summary = explore(a.corace, rate_src, st, a.rate_schedules, a.seed, a.timeout)
        if findings or rc != 0:
            ok = False
        rates.append((st, wall, summary_rate(summary, a.rate_schedules, wall), len(findings), rc))

    print(f"| sample | strategy | explore kinds | all found | first schedule of each kind | "
          f"time (s) | schedules/s |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print(f"\n{a.schedules} schedules per exploration (`--keep-going`), seeds {a.seed}.."
          f"{a.seed + a.schedules - 1}; \"@n\": first found at the n-th schedule.\n")
    print(f"| throughput: {rate_src.name}, {a.rate_schedules} schedules | time (s) | schedules/s | "
          f"findings |")
    print("|---|---|---|---|")
    for st, wall, rate, nf, rc in rates:
        print(f"| {st} | {wall:.1f} | {rate:.0f} | {nf}{'' if rc == 0 else f' (exit {rc})'} |")
    print(f"\n{os.cpu_count()} CPUs; corace: {a.corace}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
