#!/usr/bin/env python3
"""Race checking cost on the race-work workloads: corace checked/plain, Go -race/plain and
gcc TSan/plain, in one interleaved run.

  tests/bench/compare_race.py [-n PAIRS] [--pairs-for WORKLOAD=N ...] [--warmup W]
                              [--shared DIR] [--build-dir DIR] [--no-build]
                              [--only rw_matmul,rw_pipeline,...] [--args WORKLOAD=ARGS ...]

Builds, each from its own source:
  - corace: bench_rw_<x> (plain, -O2, libcorace) and bench_rw_<x>_checked (-O2 -g
    -fsanitize=thread objects linked with the checker runtime; tests/bench/CMakeLists.txt)
    in the CMake build directory (default build-bench, Release);
  - Go: SHARED/anchors/go/rw-* with `go build` and `go build -race` into a temporary
    directory (private GOCACHE, GOPROXY=off: no network);
  - C: SHARED/anchors/c-pthread/rw-*.c with its Makefile (plain -O2 and -fsanitize=thread
    -O2, gcc), run on a temporary copy: nothing is written into SHARED.
Then, for each workload: W warm-up rounds (not counted) and PAIRS counted rounds, each
round running the six programs in turn: corace plain, corace checked, Go plain, Go -race,
C plain, C TSan.  Ratios (checked/plain for each of the three, corace/Go plain) are taken
round by round, then the median.  The time compared is the figure each program prints
about its own timed section (`rw_matmul: 5.2 ms/multiply`...); whole-process wall seconds
and peak RSS (GNU /usr/bin/time -f %M, the whole process) are shown too.  Every checked
run must exit 0 and print no "WARNING: DATA RACE": anything else is listed at the end and
makes the exit status 1.  Each side runs in its default configuration (corace: every
goroutine on one OS thread; Go: GOMAXPROCS = nproc; C: one OS thread per worker).

Targets (issue 3): corace checked/plain time median <= 3x and worst <= 6x; peak RSS <= 3x.
"""
import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compare  # noqa: E402  (run_once, machine_facts, table, formatting)

REPO = compare.REPO
WORKLOADS = ['rw_matmul', 'rw_pipeline', 'rw_rwmap', 'rw_pool']
# side key -> label; the order is the order of the runs in a round
SIDES = [('co', 'corace plain'), ('co_chk', 'corace checked'),
         ('go', 'Go plain'), ('go_race', 'Go -race'),
         ('c', 'C plain'), ('c_tsan', 'C TSan')]
CHECKED = {'co_chk', 'go_race', 'c_tsan'}
TARGET_MEDIAN, TARGET_WORST, TARGET_RSS = 3.0, 6.0, 3.0
RACE_WORDS = ('WARNING: DATA RACE', 'ThreadSanitizer')


def anchor(w):
    return w.replace('_', '-')          # rw_matmul -> rw-matmul


def build_corace(build_dir, names, jobs):
    compare.sh(['cmake', '-S', str(REPO), '-B', str(build_dir), '-DCMAKE_BUILD_TYPE=Release'],
               stdout=subprocess.DEVNULL)
    targets = [f'bench_{n}' for n in names] + [f'bench_{n}_checked' for n in names]
    compare.sh(['cmake', '--build', str(build_dir), '-j', str(jobs), '--target'] + targets,
               stdout=subprocess.DEVNULL)


def build_go(go_src, tmp, names):
    env = dict(os.environ)
    env.update(GOCACHE=str(tmp / 'gocache'), GOPATH=str(tmp / 'gopath'),
               GOFLAGS='-mod=mod', GO111MODULE='on', GOPROXY='off')
    pkgs = ['./' + anchor(n) for n in names]
    out = {}
    for kind, extra in (('bin', []), ('bin-race', ['-race'])):
        d = tmp / 'go' / kind
        d.mkdir(parents=True)
        # -race needs cgo; plain builds the same way for symmetry
        compare.sh(['go', 'build'] + extra + ['-o', str(d) + '/'] + pkgs, cwd=go_src, env=env)
        out[kind] = d
    return out


def build_c(c_src, tmp, names, jobs):
    d = tmp / 'c-pthread'
    shutil.copytree(c_src, d, ignore=shutil.ignore_patterns('build', 'build-*'))
    progs = ' '.join(anchor(n) for n in names)
    compare.sh(['make', '-s', '-C', str(d), f'-j{jobs}', f'PROGS={progs}', 'CC=gcc'],
               stdout=subprocess.DEVNULL)
    return d / 'build'


def fig_of(r, w):
    """The run's time figure for workload w (the C twins print c_rw_*)."""
    for k in (w, 'c_' + w):
        if k in r.figs:
            return r.figs[k], r.units[k]
    return None, None


def checksum_of(r, w):
    for line in r.out.splitlines():
        if line.startswith((w + '_checksum:', 'c_' + w + '_checksum:')):
            return line.split(':', 1)[1].strip()
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('-n', '--pairs', type=int, default=5, help='counted rounds per workload (5)')
    ap.add_argument('--pairs-for', action='append', default=[], metavar='WORKLOAD=N',
                    help='other round counts for some workloads, e.g. rw_matmul=3')
    ap.add_argument('--warmup', type=int, default=1, help='uncounted rounds first (1)')
    ap.add_argument('--shared', type=Path, default=REPO.parent / 'shared',
                    help='the shared/ directory holding anchors/ (default: ../shared)')
    ap.add_argument('--build-dir', type=Path, default=REPO / 'build-bench',
                    help='CMake build directory (default: build-bench)')
    ap.add_argument('--no-build', action='store_true', help='use the existing corace build as is')
    ap.add_argument('--only', default=','.join(WORKLOADS), help='workloads (default: all)')
    ap.add_argument('--args', action='append', default=[], metavar='WORKLOAD=ARGS',
                    help='size arguments for every side, e.g. --args rw_matmul=20')
    ap.add_argument('--timeout', type=float, default=900, help='seconds per run (900)')
    ap.add_argument('-j', '--jobs', type=int, default=os.cpu_count() or 2)
    o = ap.parse_args()

    names = [w for w in o.only.split(',') if w]
    for w in names:
        if w not in WORKLOADS:
            sys.exit(f'compare_race: unknown workload {w!r} (know {", ".join(WORKLOADS)})')
    sizes = {w: shlex.split(rest) for w, _, rest in (a.partition('=') for a in o.args)}
    npairs = {w: o.pairs for w in names}
    for a in o.pairs_for:
        w, _, k = a.partition('=')
        npairs[w] = int(k)
    anchors = o.shared.resolve() / 'anchors'
    if not (anchors / 'go' / 'go.mod').is_file() or not (anchors / 'c-pthread' / 'Makefile').is_file():
        sys.exit(f'compare_race: no anchors at {anchors} (pass --shared DIR)')
    if not compare.GNU_TIME:
        print('warning: no /usr/bin/time: no peak RSS', file=sys.stderr)

    print('# Race checking on the race-work workloads: corace, Go -race, gcc TSan')
    for k, v in compare.machine_facts():
        print(f'{k:8s} {v}')
    print(f'rounds   {", ".join(f"{w} {npairs[w]}" for w in names)} (+{o.warmup} warm-up each); '
          f'order in a round: {", ".join(l for _, l in SIDES)}')
    print(f'command  {" ".join(shlex.quote(a) for a in sys.argv)}')
    print(flush=True)

    if not o.no_build:
        try:
            build_corace(o.build_dir, names, o.jobs)
        except subprocess.CalledProcessError as e:
            sys.exit(f'compare_race: building the corace benchmarks failed: {e}')
    tmp = Path(tempfile.mkdtemp(prefix='corace-compare-race-'))
    problems = []
    try:
        try:
            gob = build_go(anchors / 'go', tmp, names)
            cb = build_c(anchors / 'c-pthread', tmp, names, o.jobs)
        except subprocess.CalledProcessError as e:
            sys.exit(f'compare_race: building the anchors failed: {e}')
        env = dict(os.environ)
        results = {}
        for w in names:
            args = sizes.get(w, [])
            a = anchor(w)
            cmds = {
                'co': [str(compare.find_corace_bin(o.build_dir, w))],
                'co_chk': [str(compare.find_corace_bin(o.build_dir, w + '_checked'))],
                'go': [str(gob['bin'] / a)], 'go_race': [str(gob['bin-race'] / a)],
                'c': [str(cb / 'plain' / a)], 'c_tsan': [str(cb / 'tsan' / a)],
            }
            print(f'running {w} {" ".join(args)}'.rstrip(), end='', flush=True)
            rounds = []
            for i in range(o.warmup + npairs[w]):
                rd = {}
                for s, label in SIDES:
                    r = compare.run_once(cmds[s] + args, env, o.timeout)
                    rd[s] = r
                    bad = r.rc != 0 or (s in CHECKED and any(x in r.err for x in RACE_WORDS))
                    if bad:
                        problems.append(f'{label} {w} exited {r.rc}:\n{r.err[-3000:]}')
                if i >= o.warmup:
                    rounds.append(rd)
                print('.', end='', flush=True)
            print(flush=True)
            results[w] = rounds
        print()
        report(results, names)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if problems:
        print('\n## Problems')
        for p in problems:
            print(p)
    return 1 if problems else 0


def ratios(rounds, w, a, b, what):
    out = []
    for rd in rounds:
        x, y = rd[a], rd[b]
        if x.rc != 0 or y.rc != 0:
            continue
        if what == 'fig':
            fx, fy = fig_of(x, w)[0], fig_of(y, w)[0]
        elif what == 'rss':
            fx, fy = x.maxrss_kib, y.maxrss_kib
        else:
            fx, fy = getattr(x, what), getattr(y, what)
        if fx is not None and fy:
            out.append(fx / fy)
    return out


def col(rounds, w, s, what, scale=1.0):
    xs = []
    for rd in rounds:
        r = rd[s]
        if r.rc != 0:
            continue
        v = fig_of(r, w)[0] if what == 'fig' else getattr(r, what)
        if v is not None:
            xs.append(v * scale)
    return xs


def mr(xs, fmt=compare.num):
    return compare.median_range(xs, fmt)


def rf(x):
    return f'{x:.2f}' if x < 10 else f'{x:.1f}'


def report(results, names):
    print('## Time: the figure each program prints (median [min-max]); ratios round by round')
    hdr = ['workload', 'unit', 'corace plain', 'corace checked', 'checked/plain',
           'RSS checked/plain', 'Go -race/plain', 'TSan/plain', 'targets met']
    rows = []
    for w in names:
        rd = results[w]
        unit = next((fig_of(r[s], w)[1] for r in rd for s in ('co', 'go') if fig_of(r[s], w)[1]), '')
        t = ratios(rd, w, 'co_chk', 'co', 'fig')
        m = ratios(rd, w, 'co_chk', 'co', 'rss')
        met = []
        if t:
            met.append('median ' + ('yes' if statistics.median(t) <= TARGET_MEDIAN else 'NO'))
            met.append('worst ' + ('yes' if max(t) <= TARGET_WORST else 'NO'))
        if m:
            met.append('RSS ' + ('yes' if statistics.median(m) <= TARGET_RSS else 'NO'))
        rows.append([w, unit, mr(col(rd, w, 'co', 'fig')), mr(col(rd, w, 'co_chk', 'fig')),
                     mr(t, rf), mr(m, rf), mr(ratios(rd, w, 'go_race', 'go', 'fig'), rf),
                     mr(ratios(rd, w, 'c_tsan', 'c', 'fig'), rf), ', '.join(met) or 'FAIL'])
    compare.table(hdr, rows)

    print('\n## Absolute: each side\'s figure and its ratio to Go plain (round by round)')
    hdr = ['workload', 'Go plain', 'Go -race', 'C plain', 'C TSan',
           'corace plain / Go plain', 'corace checked / Go plain', 'corace checked / Go -race']
    rows = []
    for w in names:
        rd = results[w]
        rows.append([w, mr(col(rd, w, 'go', 'fig')), mr(col(rd, w, 'go_race', 'fig')),
                     mr(col(rd, w, 'c', 'fig')), mr(col(rd, w, 'c_tsan', 'fig')),
                     mr(ratios(rd, w, 'co', 'go', 'fig'), rf),
                     mr(ratios(rd, w, 'co_chk', 'go', 'fig'), rf),
                     mr(ratios(rd, w, 'co_chk', 'go_race', 'fig'), rf)])
    compare.table(hdr, rows)

    print('\n## Whole processes: wall seconds and peak RSS MiB (median [min-max])')
    hdr = ['workload'] + [f'{l} wall s' for _, l in SIDES]
    rows = [[w] + [mr(col(results[w], w, s, 'wall')) for s, _ in SIDES] for w in names]
    compare.table(hdr, rows)
    print()
    hdr = ['workload'] + [f'{l} RSS MiB' for _, l in SIDES]
    rows = [[w] + [mr(col(results[w], w, s, 'maxrss_kib', 1 / 1024)) for s, _ in SIDES]
            for w in names]
    compare.table(hdr, rows)
    print('\nRSS ratios (round by round): ' + '; '.join(
        f'{w}: corace {mr(ratios(results[w], w, "co_chk", "co", "rss"), rf)}, '
        f'Go {mr(ratios(results[w], w, "go_race", "go", "rss"), rf)}, '
        f'TSan {mr(ratios(results[w], w, "c_tsan", "c", "rss"), rf)}' for w in names))
    print('wall ratios checked/plain (round by round): ' + '; '.join(
        f'{w}: corace {mr(ratios(results[w], w, "co_chk", "co", "wall"), rf)}' for w in names))

    print('\n## Checksums (each distinct line, with the sides that printed it)')
    for w in names:
        seen = {}
        for rd in results[w]:
            for s, label in SIDES:
                c = checksum_of(rd[s], w)
                if c is not None:
                    seen.setdefault(c, set()).add(label)
        for c, who in seen.items():
            print(f'{w}: {c}  <- {", ".join(l for _, l in SIDES if l in who)}')


if __name__ == '__main__':
    sys.exit(main())
