#!/usr/bin/env bash
# expect_error.sh STATUS COMMAND [ARGS...]
# Runs COMMAND; passes when it exits with STATUS, prints nothing on stdout and
# exactly one line on stderr, starting with "corace: ".
set -u
want=${1:?usage: expect_error.sh STATUS COMMAND [ARGS...]}
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
fail=0
if [ "$rc" -ne "$want" ]; then
    echo "FAIL: exit status $rc, want $want"
    fail=1
fi
if [ -s "$tmp/out" ]; then
    echo "FAIL: unexpected stdout:"
    cat "$tmp/out"
    fail=1
fi
lines=$(wc -l <"$tmp/err")
if [ "$lines" -ne 1 ] || ! head -n 1 "$tmp/err" | grep -q '^corace: '; then
    echo "FAIL: want one stderr line starting 'corace: ', got $lines line(s):"
    cat "$tmp/err"
    fail=1
fi
[ "$fail" -eq 0 ] && echo "PASS: exit $rc: $(cat "$tmp/err")"
exit "$fail"
