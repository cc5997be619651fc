#!/usr/bin/env bash
# check_ticker_deadlock.sh CORACE_CLI SOURCE SEEDS
# A deadlock a ticker hides is reported as Go's global deadlock, with every
# goroutine's stack, on every seed and within seconds (Go would hang); the
# fixed variant ends cleanly.
set -u
corace=$1
src=$2
seeds=$3
line() { grep -n "LINE:$1 " "$src" | cut -d: -f1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
"$corace" cc -O1 "$src" -o "$tmp/stuck" || exit 1
"$corace" cc -O1 -DFIXED "$src" -o "$tmp/fixed" || exit 1
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
    [ "$rc" -eq 0 ] && [ "$out" = done ] || { echo "FAIL: fixed, seed $seed: exit $rc: $(cat "$tmp/err")"; fail=1; }
done
exit "$fail"
