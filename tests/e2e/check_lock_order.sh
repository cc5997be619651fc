#!/usr/bin/env bash
# check_lock_order.sh CORACE_CLI SOURCE CC
# A lock-order inversion is reported although the run does not hang; the
# same program taking the locks in one order reports nothing.
set -u
corace=$1
src=$2
line() { grep -n "LINE:$1 " "$src" | cut -d: -f1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
"$corace" cc -O1 -DINVERT "$src" -o "$tmp/inverted" || exit 1
"$corace" cc -O1 "$src" -o "$tmp/ordered" || exit 1
err=$(CO_SEED=1 "$tmp/inverted" 2>&1 >"$tmp/out")
rc=$?
[ "$rc" -eq 66 ] || { echo "FAIL: inverted: exit $rc, want 66"; fail=1; }
grep -qx 'total 2' "$tmp/out" || { echo "FAIL: inverted: the program did not finish"; fail=1; }
for want in "WARNING: POTENTIAL DEADLOCK (lock-order inversion)" "2 locks are taken in a cycle:" \
    "Possible unsafe scenario:" "*** DEADLOCK ***" "forward()" "backward()" \
    "lock_order.c:$(line fwd_a)" "lock_order.c:$(line fwd_b)" \
    "lock_order.c:$(line bwd_b)" "lock_order.c:$(line bwd_a)"; do
    grep -qF -- "$want" <<<"$err" || { echo "FAIL: inverted: missing: $want"; fail=1; }
done
err=$(CO_SEED=1 "$tmp/ordered" 2>&1 >/dev/null)
rc=$?
[ "$rc" -eq 0 ] || { echo "FAIL: ordered: exit $rc, want 0"; fail=1; }
grep -q WARNING <<<"$err" && { echo "FAIL: ordered: a report"; fail=1; }
[ "$fail" -eq 0 ] || { echo "---- inverted stderr"; CO_SEED=1 "$tmp/inverted" 2>&1 >/dev/null; }
exit "$fail"
