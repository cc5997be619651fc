#!/usr/bin/env bash
# check_lock_handoff.sh CORACE_CLI SOURCE SEEDS
# A lock-order cycle is reported only with a distinct goroutine on each
# edge: goroutine 1 taking locks in both orders alone (gates its workers
# unlock, then a plain pair) gives no report on any seed; a second goroutine
# taking one of the orders too gives one, naming both goroutines.
set -u
# shellcheck source=tests/e2e/variants.sh
. "$(dirname "$0")/variants.sh"
variants "$1" "$2" alone "" second -DSECOND
seeds=$3
for seed in $(seq 1 "$seeds"); do
    err=$(CO_SEED=$seed "$tmp/alone" 2>&1 >"$tmp/out")
    rc=$?
    [ "$rc" -eq 0 ] || { echo "FAIL: alone, seed $seed: exit $rc, want 0"; fail=1; }
    grep -qx "done" "$tmp/out" || { echo "FAIL: alone, seed $seed: did not finish"; fail=1; }
    grep -q WARNING <<<"$err" && { echo "FAIL: alone, seed $seed: a report:"; echo "$err"; fail=1; }

    err=$(CO_SEED=$seed "$tmp/second" 2>&1 >/dev/null)
    rc=$?
    [ "$rc" -eq 66 ] || { echo "FAIL: second, seed $seed: exit $rc, want 66"; fail=1; }
    n=$(grep -c '^WARNING: POTENTIAL DEADLOCK (lock-order inversion)$' <<<"$err")
    [ "$n" -eq 1 ] || { echo "FAIL: second, seed $seed: $n lock-order reports, want 1"; fail=1; }
    for want in "lock_handoff.c:$(line b_then_a_b)" "lock_handoff.c:$(line b_then_a_a)" \
        "lock_handoff.c:$(line a_then_b_a)" "lock_handoff.c:$(line a_then_b_b)" "goroutine 1 took mutex"; do
        grep -qF -- "$want" <<<"$err" || { echo "FAIL: second, seed $seed: missing: $want"; fail=1; }
    done
    # The scenario's columns are two goroutines, never one against itself.
    cols=$(grep -E '^ +goroutine [0-9]+ +goroutine [0-9]+$' <<<"$err")
    set -- $cols
    [ "$#" -eq 4 ] && [ "$2" != "$4" ] || { echo "FAIL: second, seed $seed: scenario columns '$cols'"; fail=1; }
done
exit "$fail"
