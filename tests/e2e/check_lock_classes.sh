#!/usr/bin/env bash
# check_lock_classes.sh CORACE_CLI SOURCE
# Lock order between lock classes (allocation sites): tests/e2e/checked/lock_classes.c
# nests a tree's lock then a node's in one goroutine and a node's then a tree's in
# another, never the same two objects in both orders.  Over seeds 1..20, at -O1 and -O2
# (inlined constructors are still one site): the classes' inversion is reported with both
# allocation lines and both edges' lines, the program finishes, exit 66.  Taking the tree
# first everywhere (-DSAME_ORDER) reports nothing, and two nodes nested in address order
# (one class inside itself) never do.
set -u
corace=$1
src=$2
line() { grep -n "/\* $1 \*/" "$src" | cut -d: -f1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for opt in -O1 -O2; do
    "$corace" cc -g $opt "$src" -o "$tmp/inverted" || exit 1
    "$corace" cc -g $opt -DSAME_ORDER "$src" -o "$tmp/ordered" || exit 1
    for seed in $(seq 1 20); do
        err=$(CO_SEED=$seed "$tmp/inverted" 2>&1 >"$tmp/out")
        rc=$?
        [ "$rc" -eq 66 ] || { echo "FAIL $opt seed $seed: inverted: exit $rc, want 66"; fail=1; }
        grep -qx 'sizes 1, values 1 1' "$tmp/out" || { echo "FAIL $opt seed $seed: the program did not finish"; fail=1; }
        [ "$(grep -c 'WARNING: POTENTIAL DEADLOCK (lock-order inversion)' <<<"$err")" -eq 1 ] ||
            { echo "FAIL $opt seed $seed: want exactly one lock-order report"; fail=1; }
        for want in "2 lock classes are taken in a cycle:" \
            ": offset 8 in a block allocated at $src:$(line TREE_ALLOC)" \
            ": offset 0 in a block allocated at $src:$(line NODE_ALLOC)" \
            "lock_classes.c:$(line INSERT_TREE)" "lock_classes.c:$(line INSERT_NODE)" \
            "lock_classes.c:$(line REBALANCE_NODE)" "lock_classes.c:$(line REBALANCE_TREE)" \
            "insert()" "rebalance()" "*** DEADLOCK ***"; do
            grep -qF -- "$want" <<<"$err" || { echo "FAIL $opt seed $seed: missing: $want"; fail=1; }
        done
        err=$(CO_SEED=$seed "$tmp/ordered" 2>&1 >/dev/null)
        rc=$?
        [ "$rc" -eq 0 ] || { echo "FAIL $opt seed $seed: ordered: exit $rc, want 0"; fail=1; }
        grep -q WARNING <<<"$err" && { echo "FAIL $opt seed $seed: ordered: a report"; fail=1; }
        [ "$fail" -eq 0 ] || break 2
    done
done
[ "$fail" -eq 0 ] || { echo "---- inverted stderr"; CO_SEED=1 "$tmp/inverted" 2>&1 >/dev/null; }
exit "$fail"
