#!/usr/bin/env bash
# check_ticker_deadlock.sh CORACE_CLI SOURCE SEEDS
# A deadlock a ticker hides is reported as Go's global deadlock, with every
# goroutine's stack, on every seed and within seconds (Go would hang); the
# fixed variant ends cleanly.
set -u
# shellcheck source=tests/e2e/variants.sh
. "$(dirname "$0")/variants.sh"
variants "$1" "$2" stuck "" fixed -DFIXED
seeds=$3
for seed in $(seq 1 "$seeds"); do
    err=$(CO_SEED=$seed timeout 60 "$tmp/stuck" 2>&1 >/dev/null)
    rc=$?
    [ "$rc" -eq 2 ] || { echo "FAIL: seed $seed: exit $rc, want 2 (124: it hung)"; fail=1; }
    for want in "fatal error: all goroutines are asleep - deadlock!" "goroutine 1 [sync.WaitGroup.Wait]:" \
        "[chan send]:" "[sync.Mutex.Lock]:" "ticker_deadlock.c:$(line keeper_lock)" \
        "ticker_deadlock.c:$(line sender_send)" "ticker_deadlock.c:$(line main_wait)"; do
        grep -qF -- "$want" <<<"$err" || { echo "FAIL: seed $seed: missing: $want"; fail=1; }
    done
    out=$(CO_SEED=$seed timeout 60 "$tmp/fixed" 2>"$tmp/err")
    rc=$?
    [ "$rc" -eq 0 ] && [ "$out" = "done" ] || { echo "FAIL: fixed, seed $seed: exit $rc: $(cat "$tmp/err")"; fail=1; }
done
exit "$fail"
