#!/usr/bin/env bash
# check_explore.sh CORACE_CLI DIR_OF_explore/*.c [SEEDS]
# Schedule exploration in one checked program (explore/publish_race.c, a race
# only some interleavings show):
#  (a) each strategy (entry, random, pct): the same seed gives byte for byte
#      the same stdout, stderr and exit status, over SEEDS seeds (default
#      100), each run twice; random and pct find the race under some seeds
#      and not under others (so sameness is not vacuous);
#  (b) record=FILE then replay=FILE (no CO_SEED: the trace gives it) gives
#      the same output;
#  (c) replaying another program's trace fails before main with one line
#      and exit 1; a run that departs from its trace (more readers) fails
#      with one line and exit 1.
# The runs are under `setarch -R` (no address-space randomization, as the
# CLI will start them), so addresses compare exactly: nothing is masked.
set -u
corace=$1
dir=$2
seeds=${3:-100}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
"$corace" cc -O1 "$dir/publish_race.c" -o "$tmp/pub" || exit 1
"$corace" cc -O1 "$dir/spin_forever.c" -o "$tmp/other" || exit 1
norand() { setarch "$(uname -m)" -R "$@"; }

run() {   # run OUT SEED OPTIONS [args]: stdout, stderr and status into OUT.*
    local out=$1 seed=$2 opts=$3
    shift 3
    if [ -n "$seed" ]; then
        CO_SEED=$seed CORACE_OPTIONS=$opts norand "$tmp/pub" "$@" >"$out.out" 2>"$out.err"
    else
        env -u CO_SEED CORACE_OPTIONS="$opts" setarch "$(uname -m)" -R "$tmp/pub" "$@" >"$out.out" 2>"$out.err"
    fi
    echo $? >"$out.rc"
}
same() { cmp -s "$1.out" "$2.out" && cmp -s "$1.err" "$2.err" && cmp -s "$1.rc" "$2.rc"; }

for st in entry random pct; do
    racy=0 clean=0
    for s in $(seq 1 "$seeds"); do
        run "$tmp/a" "$s" "strategy=$st"
        run "$tmp/b" "$s" "strategy=$st"
        if ! same "$tmp/a" "$tmp/b"; then
            echo "FAIL: (a) $st seed $s: two runs differ"
            diff "$tmp/a.err" "$tmp/b.err" | head -5
            fail=1
        fi
        if grep -q "WARNING: DATA RACE" "$tmp/a.err"; then racy=$((racy + 1)); else clean=$((clean + 1)); fi
    done
    echo "$st: $racy of $seeds seeds show the race"
    if [ "$st" != entry ] && { [ "$racy" -eq 0 ] || [ "$clean" -eq 0 ]; }; then
        echo "FAIL: (a) $st: the race under $racy seeds and not under $clean: want some of each"
        fail=1
    fi
    # (b) record, then replay without the seed.
    for s in 1 2 3 4 5 6 7 8 9 10; do
        run "$tmp/r" "$s" "strategy=$st record=$tmp/trace"
        [ -s "$tmp/trace" ] || { echo "FAIL: (b) $st seed $s: no trace written"; fail=1; continue; }
        run "$tmp/p" "" "replay=$tmp/trace"
        if ! same "$tmp/r" "$tmp/p"; then
            echo "FAIL: (b) $st seed $s: the replay differs from the recorded run"
            diff "$tmp/r.out" "$tmp/p.out" | head -5
            diff "$tmp/r.err" "$tmp/p.err" | head -5
            fail=1
        fi
        # Recording changes nothing.
        run "$tmp/n" "$s" "strategy=$st"
        same "$tmp/r" "$tmp/n" || { echo "FAIL: (b) $st seed $s: record= changed the run"; fail=1; }
        # (c) more readers than recorded: the run departs from the trace.
        if [ "$st" != entry ] && [ "$s" -le 3 ]; then
            run "$tmp/v" "" "replay=$tmp/trace" 3
            if [ "$(cat "$tmp/v.rc")" != 1 ] || [ "$(grep -c . "$tmp/v.err")" -lt 1 ] ||
               [ "$(grep -c "^corace: replay $tmp/trace: " "$tmp/v.err")" != 1 ]; then
                echo "FAIL: (c) $st seed $s: a divergent replay: exit $(cat "$tmp/v.rc"), stderr:"
                cat "$tmp/v.err"
                fail=1
            fi
        fi
    done
done

# (c) another program's trace: one line, exit 1, main never runs.
CO_SEED=1 CORACE_OPTIONS="strategy=random record=$tmp/trace" norand "$tmp/pub" >/dev/null 2>&1
CORACE_OPTIONS="replay=$tmp/trace" "$tmp/other" >"$tmp/o.out" 2>"$tmp/o.err"
rc=$?
want="corace: replay $tmp/trace: recorded from a different program (build-id or executable differs)"
[ "$rc" -eq 1 ] || { echo "FAIL: (c) other program: exit $rc, want 1"; fail=1; }
[ "$(cat "$tmp/o.err")" = "$want" ] || { echo "FAIL: (c) other program: stderr:"; cat "$tmp/o.err"; fail=1; }
[ -s "$tmp/o.out" ] && { echo "FAIL: (c) other program: main ran"; fail=1; }
# Not a trace at all.
echo garbage >"$tmp/bad"
CORACE_OPTIONS="replay=$tmp/bad" "$tmp/pub" >"$tmp/o.out" 2>"$tmp/o.err"
rc=$?
[ "$rc" -eq 1 ] && [ "$(cat "$tmp/o.err")" = "corace: replay $tmp/bad: not a corace trace" ] && [ ! -s "$tmp/o.out" ] ||
    { echo "FAIL: (c) not a trace: exit $rc, stderr:"; cat "$tmp/o.err"; fail=1; }
# A bad strategy name is an options error (exit 2, one line).
CORACE_OPTIONS="strategy=dfs" "$tmp/pub" >/dev/null 2>"$tmp/o.err"
rc=$?
[ "$rc" -eq 2 ] && grep -qx "corace: CORACE_OPTIONS: bad value 'dfs' for option 'strategy' (want entry, random or pct)" "$tmp/o.err" ||
    { echo "FAIL: strategy=dfs: exit $rc"; cat "$tmp/o.err"; fail=1; }
exit "$fail"
