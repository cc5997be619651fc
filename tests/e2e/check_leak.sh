#!/usr/bin/env bash
# check_leak.sh CORACE SOURCE
# The goroutine-leak report at exit under the checker: its fixed lines, the
# blocked goroutine's wait reason and line, the one that never ran, where
# each was created, and exit status 66.
set -u
corace=$1
src=$2
line() { grep -n "LINE:$1 " "$src" | cut -d: -f1; }
err=$(CO_SEED=1 "$corace" run "$src" 2>&1 >/dev/null)
rc=$?
fail=0
want() {
    if ! grep -qF -- "$1" <<<"$err"; then
        echo "FAIL: missing: $1"
        fail=1
    fi
}
[ "$rc" -eq 66 ] || { echo "FAIL: exit status $rc, want 66"; fail=1; }
want "WARNING: GOROUTINE LEAK"
want "1 goroutine still blocked when main returned"
want "1 goroutine still runnable when main returned (lost work: it never finished)"
want "goroutine 2 [chan receive]:"
want "stuck()"
want "leak_report.c:$(line stuck)"
want "goroutine 3 [runnable]:"
want "idle()"
want "created by main in goroutine 1"
want "leak_report.c:$(line go_stuck)"
want "leak_report.c:$(line go_idle)"
[ "$fail" -eq 0 ] || { echo "---- stderr"; echo "$err"; }
exit "$fail"
