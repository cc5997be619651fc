#!/usr/bin/env python3
"""check_explore_server.py CORACE_CLI DIR_OF_explore/*.c

The explore fork server (CORACE_EXPLORE, detector/explore/server.c), driven
directly through a pipe as `corace explore` drives it:
 (d) random and pct (with its calibration run): one result line per schedule
     with the seeds first + i*stride; every schedule that found the race left
     its JSON records in DIR/s<seed>.<pid>; and each schedule is what a direct
     run `CO_SEED=seed CORACE_OPTIONS='strategy=X ... format=json log_path=..'`
     gives: the same exit status, the same records byte for byte, the same
     stderr, the same step count (the direct run's record= trace header).
     Server and direct runs are under `setarch -R`, so addresses compare
     exactly: nothing is masked.
 (e) a program that never ends is cut by timeout_ms=1000: timeout=1 and a
     "timeout" record in DIR/s<seed>.*.
"""
import glob
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile

corace, srcdir = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp()
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def norand(argv):
    return ["setarch", platform.machine(), "-R"] + argv


def build(name):
    out = os.path.join(tmp, name)
    subprocess.run([corace, "cc", "-O1", os.path.join(srcdir, name + ".c"), "-o", out], check=True)
    return out


def serve(prog, options, first, count, stride, timeout_ms, d):
    os.makedirs(d)
    r, w = os.pipe()
    env = dict(os.environ, CORACE_OPTIONS=options,
               CORACE_EXPLORE=f"fd={w},first={first},count={count},stride={stride},timeout_ms={timeout_ms},dir={d}")
    env.pop("CO_SEED", None)
    p = subprocess.Popen(norand([prog]), env=env, pass_fds=(w,), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(w)
    with os.fdopen(r) as f:
        lines = f.read().splitlines()
    out, err = p.communicate(timeout=600)
    if p.returncode != 0 or out or err:
        fail(f"server {options}: exit {p.returncode}, stdout {out!r}, stderr {err!r}")
    return lines


def parse_line(line):
    kv = dict(f.split("=", 1) for f in line.split())
    return {k: int(v) for k, v in kv.items()}


def varint(b, i):
    v = sh = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << sh
        sh += 7
        if not c & 0x80:
            return v, i


def trace_nsteps(path):
    """nsteps from a record= trace (format: detector/explore/decisions.c)."""
    b = open(path, "rb").read()
    assert b[:8] == b"CORACETR", path
    i = 8
    fields = []
    for _ in range(7):   # version identity strategy seed depth ksteps nsteps
        v, i = varint(b, i)
        fields.append(v)
    return fields[6]


def records(pattern):
    files = [f for f in glob.glob(pattern) if not f.endswith(".err")]
    return b"".join(open(f, "rb").read() for f in sorted(files))


def direct(prog, seed, options, d):
    log = os.path.join(d, f"direct{seed}")
    trace = os.path.join(d, f"direct{seed}.trace")
    env = dict(os.environ, CO_SEED=str(seed), CORACE_OPTIONS=f"{options} format=json log_path={log} record={trace}")
    p = subprocess.run(norand([prog]), env=env, capture_output=True)
    return p.returncode, records(log + ".[0-9]*"), p.stderr, trace_nsteps(trace)


def check_schedules(prog, options, direct_options, lines, seeds, d, tag):
    if len(lines) != len(seeds):
        fail(f"{tag}: {len(lines)} result lines for {len(seeds)} schedules: {lines[:3]}")
        return 0
    found = 0
    for line, seed in zip(lines, seeds):
        r = parse_line(line)
        if list(r) != ["seed", "status", "signal", "timeout", "steps", "usec"]:
            fail(f"{tag}: malformed line {line!r}")
            continue
        if r["seed"] != seed:
            fail(f"{tag}: line for seed {r['seed']}, want {seed}")
            continue
        recs = records(os.path.join(d, f"s{seed}.[0-9]*"))
        kinds = [json.loads(x)["kind"] for x in recs.splitlines()]
        if r["status"] == 66:
            found += 1
            if "race" not in kinds:
                fail(f"{tag} seed {seed}: exit 66 without a race record in {d}/s{seed}.*")
        elif kinds:
            fail(f"{tag} seed {seed}: exit {r['status']} with records {kinds}")
        status, drecs, derr, dsteps = direct(prog, seed, direct_options, d)
        cerr = open(os.path.join(d, f"s{seed}.err"), "rb").read()
        if status != r["status"] or drecs != recs or derr != cerr or dsteps != r["steps"]:
            fail(f"{tag} seed {seed}: the server's child (exit {r['status']}, steps {r['steps']}) differs from a "
                 f"direct run (exit {status}, steps {dsteps}):\n{recs[:300]!r}\n{drecs[:300]!r}\n{cerr[:200]!r}\n{derr[:200]!r}")
    return found


pub = build("publish_race")
spin = build("spin_forever")

# (d) random: seeds 1..40; then first=5, stride=3 (a shard's seeds).
d = os.path.join(tmp, "random")
lines = serve(pub, "strategy=random", 1, 40, 1, 10000, d)
n = check_schedules(pub, "strategy=random", "strategy=random", lines, list(range(1, 41)), d, "random")
if not 0 < n < 40:
    fail(f"random: the race in {n} of 40 schedules: want some, not all")
print(f"random: {len(lines)} schedules, {n} with the race")
d = os.path.join(tmp, "stride")
lines = serve(pub, "strategy=random", 5, 5, 3, 10000, d)
check_schedules(pub, "strategy=random", "strategy=random", lines, [5, 8, 11, 14, 17], d, "stride")

# (d) pct: a calibration run first, its step count is k for every schedule.
d = os.path.join(tmp, "pct")
lines = serve(pub, "strategy=pct pct_depth=3", 1, 30, 1, 10000, d)
if not lines or not lines[0].startswith("calibration steps="):
    fail(f"pct: no calibration line first: {lines[:2]}")
else:
    k = int(lines[0].split("=")[1])
    n = check_schedules(pub, "strategy=pct", f"strategy=pct pct_depth=3 pct_steps={k}", lines[1:],
                        list(range(1, 31)), d, "pct")
    if not 0 < n < 30:
        fail(f"pct: the race in {n} of 30 schedules: want some, not all")
    print(f"pct: k={k}, {len(lines) - 1} schedules, {n} with the race")
    if glob.glob(os.path.join(d, "s*")) and not glob.glob(os.path.join(d, "calibration.*")):
        fail("pct: the calibration run left no files of its own")

# (e) a schedule that never ends: SIGQUIT after 1 s, the timeout record.
for st in ("random", "entry"):
    d = os.path.join(tmp, "timeout-" + st)
    lines = serve(spin, f"strategy={st}", 7, 2, 1, 1000, d)
    if len(lines) != 2:
        fail(f"timeout {st}: {lines}")
        continue
    for line, seed in zip(lines, (7, 8)):
        r = parse_line(line)
        if r["seed"] != seed or r["timeout"] != 1 or not (r["status"] == 2 or r["signal"] == 9):
            fail(f"timeout {st}: {line!r}")
        if r["usec"] < 1000000 or r["usec"] > 2900000:
            fail(f"timeout {st}: the schedule took {r['usec']} us, want 1 s to 2 s")
        kinds = [json.loads(x)["kind"] for x in records(os.path.join(d, f"s{seed}.*")).splitlines()]
        if kinds != ["timeout"]:
            fail(f"timeout {st} seed {seed}: records {kinds}, want one timeout record")
        if b"SIGQUIT: quit" not in open(os.path.join(d, f"s{seed}.err"), "rb").read():
            fail(f"timeout {st} seed {seed}: no goroutine dump in s{seed}.err")
    print(f"timeout {st}: {lines}")

# A write error on the pipe (the reader went away) stops the server.
r, w = os.pipe()
os.close(r)
env = dict(os.environ, CORACE_OPTIONS="strategy=random",
           CORACE_EXPLORE=f"fd={w},first=1,count=100000,stride=1,timeout_ms=0,dir={tmp}")
p = subprocess.run([pub], env=env, pass_fds=(w,), capture_output=True, timeout=60)
if p.returncode != 0:
    fail(f"closed pipe: server exit {p.returncode}")
if len(glob.glob(os.path.join(tmp, "s*.err"))) != 1:
    fail("closed pipe: the server went on after the write error")

shutil.rmtree(tmp)
sys.exit(1 if failures else 0)
