#!/usr/bin/env bash
# test_installed.sh CMAKE BUILD_DIR PREFIX SAMPLES_DIR
# Installs the build into PREFIX and checks that PREFIX/bin/corace uses the
# install tree (header, library, samples) next to itself, not the build tree.
set -u
cmake=${1:?usage: test_installed.sh CMAKE BUILD_DIR PREFIX SAMPLES_DIR}
build=${2:?}
prefix=${3:?}
samples=${4:?}
fail=0
bad() {
    echo "FAIL: $*"
    fail=1
}
rm -rf "$prefix"
"$cmake" --install "$build" --prefix "$prefix" >/dev/null || {
    echo "FAIL: cmake --install"
    exit 1
}
corace=$(find "$prefix" -path '*/bin/corace' -type f | head -n 1)
[ -x "$corace" ] || {
    echo "FAIL: no bin/corace under $prefix"
    exit 1
}
unset CORACE_SAMPLES_DIR
paths=$("$corace" --paths)
echo "$paths"
grep -q '^layout: *install tree$' <<<"$paths" || bad "not using the install tree"
grep -q "^samples dir: *$prefix/" <<<"$paths" || bad "samples dir is not under $prefix"
grep -q "^library: *$prefix/" <<<"$paths" || bad "library is not under $prefix"

want=$(find "$samples" -maxdepth 1 -name "*.c" | wc -l)
got=$("$corace" samples list | wc -l)
[ "$got" -eq "$want" ] || bad "samples list: $got lines, want $want"

out=$("$corace" samples run abba_deadlock_fixed 2>&1)
rc=$?
[ "$rc" -eq 0 ] || bad "samples run abba_deadlock_fixed: exit $rc: $out"
grep -q '^done$' <<<"$out" || bad "samples run abba_deadlock_fixed: no 'done' line: $out"

"$corace" samples run unbuffered_send_no_receiver >/dev/null 2>"$prefix/err"
rc=$?
[ "$rc" -eq 2 ] || bad "samples run unbuffered_send_no_receiver: exit $rc, want 2"
grep -qxF 'fatal error: all goroutines are asleep - deadlock!' "$prefix/err" ||
    bad "samples run unbuffered_send_no_receiver: no deadlock report"

[ "$fail" -eq 0 ] && echo "PASS"
exit "$fail"
