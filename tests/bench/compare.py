#!/usr/bin/env python3
"""corace vs Go on the anchor workloads, interleaved, with medians and pair-by-pair ratios.

  tests/bench/compare.sh [-n PAIRS] [--shared DIR] [--build-dir DIR] [--no-build]
                         [--only pingpong,spawn,...] [--warmup W] [--keep]

Builds the corace benchmarks (tests/bench/*.c, CMake Release, targets bench_<name>) and
the Go anchors (SHARED/anchors/go, `go build` into a temporary directory with its own
GOCACHE, no network), then for each workload runs one warm-up of each side (not counted)
and PAIRS pairs corace, Go, corace, Go, ...  Both sides run with one P: Go with
GOMAXPROCS=1 (--go-env), corace with CO_MAXPROCS=1 (--co-env; corace runs every goroutine
on one OS thread whatever CO_MAXPROCS says, which only changes what co_maxprocs(0) reports).
Each program prints `name: value unit` lines about its own timed section; those are the
figures compared.  The ratio is corace/Go taken pair by pair, then the median.  Wall and
CPU seconds and peak RSS of each whole process come from GNU time (/usr/bin/time) when
it is installed.

SHARED defaults to ../shared beside the repository's root directory.
"""
import argparse
import datetime
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GNU_TIME = '/usr/bin/time' if os.access('/usr/bin/time', os.X_OK) else None
LINE = re.compile(r'^([A-Za-z][A-Za-z0-9_]*): ([-+0-9.eE]+) (\S.*)$')

WORKLOADS = ['pingpong', 'spawn', 'buffered', 'mutex', 'select', 'million']

# (workload, figure, kind, target): kind 'ratio' = corace/Go median must be <= target;
# 'abs' = corace's median must be <= target (in the figure's own unit); None = shown only.
FIGURES = [
    ('pingpong', 'pingpong', 'ratio', 0.25),
    ('spawn', 'spawn', 'ratio', 0.2),
    ('buffered', 'buffered', 'ratio', 0.5),
    ('select', 'select4', 'ratio', 0.5),
    ('mutex', 'mutex_uncontended', 'ratio', 1.0),
    ('mutex', 'mutex_contended4', None, None),
    ('million', 'million_create', 'ratio', 0.2),
    ('million', 'million_rss', 'abs', 4608.0),
    ('million', 'million_peak_rss', None, None),
    ('million', 'million_teardown', None, None),
]


def norm(name):
    """pingpong_p1 / pingpong_p2 -> pingpong: GOMAXPROCS is part of the name."""
    return re.sub(r'^pingpong_p\d+$', 'pingpong', name)


class Run:
    def __init__(self):
        self.figs, self.units, self.raw = {}, {}, {}
        self.rc, self.wall, self.cpu, self.maxrss_kib = None, None, None, None
        self.err = ''
        self.out = ''


def run_once(argv, env, timeout):
    r = Run()
    tf = None
    cmd = list(argv)
    if GNU_TIME:
        tf = tempfile.NamedTemporaryFile('r', suffix='.time')
        cmd = [GNU_TIME, '-f', '%U %S %M', '-o', tf.name] + cmd
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=timeout)
        r.rc, out, r.err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        r.rc, out, r.err = -1, (e.stdout or b'').decode(errors='replace') if isinstance(e.stdout, bytes) else (e.stdout or ''), f'timeout after {timeout} s'
    r.wall = time.monotonic() - t0
    r.out = out
    if tf:
        words = tf.read().split()
        tf.close()
        if len(words) >= 3 and r.rc != -1:
            try:
                r.cpu = float(words[-3]) + float(words[-2])
                r.maxrss_kib = float(words[-1])
            except ValueError:
                pass
    for line in out.splitlines():
        m = LINE.match(line.strip())
        if m:
            k = norm(m.group(1))
            r.figs[k], r.units[k], r.raw[k] = float(m.group(2)), m.group(3), m.group(1)
    return r


def median_range(xs, fmt):
    if not xs:
        return 'n/a'
    return f'{fmt(statistics.median(xs))} [{fmt(min(xs))}-{fmt(max(xs))}]'


def num(x):
    if abs(x) >= 1000:
        return f'{x:,.0f}'
    if abs(x) >= 100:
        return f'{x:.0f}'
    if abs(x) >= 10:
        return f'{x:.1f}'
    return f'{x:.2f}'


def ratio_fmt(x):
    return f'{x:.3f}' if x < 1 else f'{x:.2f}'


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def capture(cmd):
    try:
        return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True).stdout.strip()
    except OSError as e:
        return f'({e})'


def machine_facts():
    cpu = ''
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    except OSError:
        pass
    mem = ''
    try:
        for line in open('/proc/meminfo'):
            if line.startswith('MemTotal:'):
                mem = f'{int(line.split()[1]) / 1024 / 1024:.1f} GiB'
                break
    except OSError:
        pass
    return [
        ('date', datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')),
        ('nproc', capture(['nproc'])),
        ('cpu', cpu),
        ('memory', mem),
        ('kernel', f'{platform.system()} {platform.release()} {platform.machine()}'),
        ('go', capture(['go', 'version'])),
        ('cc', capture([os.environ.get('CC', 'cc'), '--version']).splitlines()[0]),
        ('git', capture(['git', '-C', str(REPO), 'describe', '--always', '--dirty'])),
    ]


def build_corace(build_dir, names, jobs):
    sh(['cmake', '-S', str(REPO), '-B', str(build_dir), '-DCMAKE_BUILD_TYPE=Release'],
       stdout=subprocess.DEVNULL)
    sh(['cmake', '--build', str(build_dir), '-j', str(jobs), '--target']
       + [f'bench_{n}' for n in names], stdout=subprocess.DEVNULL)


def find_corace_bin(build_dir, name):
    for p in [build_dir / 'tests' / 'bench' / f'bench_{name}', build_dir / f'bench_{name}']:
        if p.is_file() and os.access(p, os.X_OK):
            return p
    hits = [p for p in build_dir.rglob(f'bench_{name}') if p.is_file() and os.access(p, os.X_OK)]
    if not hits:
        sys.exit(f'compare: bench_{name} not found under {build_dir}')
    return hits[0]


def build_go(go_src, tmp):
    env = dict(os.environ)
    env.update(GOCACHE=str(tmp / 'gocache'), GOPATH=str(tmp / 'gopath'),
               GOFLAGS='-mod=mod', GO111MODULE='on', GOPROXY='off', CGO_ENABLED='0')
    out = tmp / 'bin'
    out.mkdir()
    sh(['go', 'build', '-o', str(out) + '/', './...'], cwd=go_src, env=env)
    return out


def env_with(settings):
    env = dict(os.environ)
    for word in shlex.split(settings or ''):
        k, _, v = word.partition('=')
        env[k] = v
    return env


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('-n', '--pairs', type=int, default=5, help='counted A/B pairs (5)')
    ap.add_argument('--warmup', type=int, default=1, help='uncounted runs of each side first (1)')
    ap.add_argument('--shared', type=Path, default=REPO.parent / 'shared',
                    help='the shared/ directory holding anchors/go (default: ../shared beside the repo)')
    ap.add_argument('--build-dir', type=Path, default=REPO / 'build-bench',
                    help='CMake build directory for the corace benchmarks (default: build-bench)')
    ap.add_argument('--no-build', action='store_true', help='use the existing corace build as is')
    ap.add_argument('--only', default=','.join(WORKLOADS),
                    help='comma-separated workloads (default: all: %(default)s)')
    ap.add_argument('--go-env', default='GOMAXPROCS=1', help="Go's environment (%(default)s)")
    ap.add_argument('--co-env', default='CO_MAXPROCS=1', help="corace's environment (%(default)s)")
    ap.add_argument('--args', action='append', default=[], metavar='WORKLOAD=ARGS',
                    help='size arguments for both sides, e.g. --args million=200000')
    ap.add_argument('--timeout', type=float, default=600, help='seconds per run (600)')
    ap.add_argument('-j', '--jobs', type=int, default=os.cpu_count() or 2)
    ap.add_argument('--keep', action='store_true', help='keep the temporary Go build directory')
    o = ap.parse_args()

    names = [w for w in o.only.split(',') if w]
    for w in names:
        if w not in WORKLOADS:
            sys.exit(f'compare: unknown workload {w!r} (know {", ".join(WORKLOADS)})')
    sizes = {}
    for a in o.args:
        w, _, rest = a.partition('=')
        sizes[w] = shlex.split(rest)
    go_src = (o.shared / 'anchors' / 'go').resolve()
    if not (go_src / 'go.mod').is_file():
        sys.exit(f'compare: no Go anchors at {go_src} (pass --shared DIR)')

    print('# corace vs Go: anchor workloads')
    for k, v in machine_facts():
        print(f'{k:8s} {v}')
    print(f'pairs    {o.pairs} (+{o.warmup} warm-up of each), order corace, Go, corace, Go, ...')
    print(f'env      corace: {o.co_env or "(inherited)"}; Go: {o.go_env or "(inherited)"}')
    print(f'command  {" ".join(shlex.quote(a) for a in sys.argv)}')
    print(flush=True)

    if not o.no_build:
        try:
            build_corace(o.build_dir, names, o.jobs)
        except subprocess.CalledProcessError as e:
            sys.exit(f'compare: building the corace benchmarks failed: {e}')
    tmp = Path(tempfile.mkdtemp(prefix='corace-compare-'))
    try:
        try:
            go_bin = build_go(go_src, tmp)
        except subprocess.CalledProcessError as e:
            sys.exit(f'compare: building the Go anchors failed: {e}')
        co_env, go_env = env_with(o.co_env), env_with(o.go_env)
        results = {}
        failed = False
        for w in names:
            args = sizes.get(w, [])
            co_cmd = [str(find_corace_bin(o.build_dir, w))] + args
            go_cmd = [str(go_bin / w)] + args
            print(f'running {w} {" ".join(args)}'.rstrip(), end='', flush=True)
            for _ in range(o.warmup):
                run_once(co_cmd, co_env, o.timeout)
                run_once(go_cmd, go_env, o.timeout)
            pairs = []
            for _ in range(o.pairs):
                a = run_once(co_cmd, co_env, o.timeout)
                b = run_once(go_cmd, go_env, o.timeout)
                for side, r in (('corace', a), ('Go', b)):
                    if r.rc != 0:
                        failed = True
                        sys.stderr.write(f'\nwarning: {side} {w} exited {r.rc}:\n{r.err[-2000:]}\n')
                pairs.append((a, b))
                print('.', end='', flush=True)
            print(flush=True)
            results[w] = pairs
        print()
        report(results, names)
    finally:
        if o.keep:
            print(f'Go binaries kept in {tmp}/bin')
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


def report(results, names):
    hdr = ['figure', 'unit', 'corace median [min-max]', 'Go median [min-max]',
           'ratio corace/Go, pair by pair', 'target', 'met']
    rows = []
    for w, fig, kind, target in FIGURES:
        if w not in results:
            continue
        pairs = results[w]
        co = [a.figs[fig] for a, _ in pairs if a.rc == 0 and fig in a.figs]
        go = [b.figs[fig] for _, b in pairs if b.rc == 0 and fig in b.figs]
        ratios = [a.figs[fig] / b.figs[fig] for a, b in pairs
                  if a.rc == 0 and b.rc == 0 and fig in a.figs and fig in b.figs and b.figs[fig]]
        unit = next((r.units[fig] for p in pairs for r in p if fig in r.units), '')
        label = fig
        if fig == 'pingpong':
            co_raw = next((a.raw[fig] for a, _ in pairs if fig in a.raw), '?')
            go_raw = next((b.raw[fig] for _, b in pairs if fig in b.raw), '?')
            label = f'{co_raw} vs {go_raw}'
        if kind == 'ratio':
            tgt = f'ratio <= {target:g}'
            met = ('yes' if statistics.median(ratios) <= target else 'no') if ratios else 'FAIL'
        elif kind == 'abs':
            tgt = f'<= {target:g} {unit.split("/")[0]}'
            met = ('yes' if statistics.median(co) <= target else 'no') if co else 'FAIL'
        else:
            tgt, met = '-', '-'
        rows.append([label, unit, median_range(co, num), median_range(go, num),
                     median_range(ratios, ratio_fmt), tgt, met])
    table(hdr, rows)

    print()
    hdr = ['workload', 'corace wall s', 'Go wall s', 'corace CPU s', 'Go CPU s',
           'corace peak RSS MiB', 'Go peak RSS MiB']
    rows = []
    for w in names:
        pairs = results[w]

        def col(side, attr, scale=1.0):
            xs = [getattr(p[side], attr) for p in pairs
                  if p[side].rc == 0 and getattr(p[side], attr) is not None]
            return median_range([x * scale for x in xs], num)
        rows.append([w, col(0, 'wall'), col(1, 'wall'), col(0, 'cpu'), col(1, 'cpu'),
                     col(0, 'maxrss_kib', 1 / 1024), col(1, 'maxrss_kib', 1 / 1024)])
    table(hdr, rows)


def table(hdr, rows):
    widths = [max(len(str(r[i])) for r in [hdr] + rows) for i in range(len(hdr))]
    line = lambda r: '| ' + ' | '.join(str(c).ljust(widths[i]) for i, c in enumerate(r)) + ' |'
    print(line(hdr))
    print('|' + '|'.join('-' * (w + 2) for w in widths) + '|')
    for r in rows:
        print(line(r))


if __name__ == '__main__':
    sys.exit(main())
