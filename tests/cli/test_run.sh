#!/usr/bin/env bash
# test_run.sh CASE CORACE SAMPLES_DIR - tests of `corace run`.
#   missing        a missing source: "corace: F: No such file or directory", exit 2
#   plain_binary   a program built with plain cc is refused, exit 2
#   compile_error  the compiler's diagnostics, then exit 2
#   usage          unknown flag, bad --exitcode, no program: exit 2
#   race           (needs the checker runtime) next_lost_update: WARNING: DATA RACE, exit 66
#   clean          (needs the checker runtime) next_lost_update_fixed: exit 0, no report
#   flags          (needs the checker runtime) --exitcode, --seed and arguments reach the program
#   checked_binary (needs the checker runtime) corace cc then corace run ./prog
set -u
case_=${1:?usage: test_run.sh CASE CORACE SAMPLES_DIR}
corace=${2:?}
samples=${3:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# run WANT_STATUS ARGS...: corace with ARGS, stdout to $tmp/out, stderr to $tmp/err.
run() {
    local want=$1
    shift
    "$corace" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    local rc=$?
    if [ "$rc" != "$want" ]; then
        echo "stderr:"; cat "$tmp/err"
        fail "corace $* exited $rc, want $want"
    fi
}
# The whole of stderr must be this one line.
err_is() {
    [ "$(cat "$tmp/err")" = "$1" ] || fail "stderr is '$(cat "$tmp/err")', want '$1'"
}

case $case_ in
missing)
    cd "$tmp" || exit 1
    run 2 run no_such_prog.c
    err_is "corace: no_such_prog.c: No such file or directory"
    run 2 run ./no_such_binary
    err_is "corace: ./no_such_binary: No such file or directory"
    ;;
plain_binary)
    cd "$tmp" || exit 1
    printf 'int main(void) { return 0; }\n' >plain.c
    ${CORACE_CC:-cc} plain.c -o plain || fail "cannot build a plain program"
    run 2 run ./plain
    err_is "corace: ./plain was not built for checking (build it with 'corace cc' or run its sources with 'corace run prog.c')"
    # Something that is no ELF file at all is refused the same way.
    printf '#!/bin/sh\nexit 0\n' >script && chmod +x script
    run 2 run ./script
    err_is "corace: ./script was not built for checking (build it with 'corace cc' or run its sources with 'corace run prog.c')"
    ;;
compile_error)
    cd "$tmp" || exit 1
    printf 'int main(void) { return undeclared_thing; }\n' >bad.c
    run 2 run bad.c
    grep -q "bad.c:1:.*undeclared_thing" "$tmp/err" || { cat "$tmp/err"; fail "no diagnostics"; }
    [ -s "$tmp/out" ] && fail "unexpected stdout: $(cat "$tmp/out")"
    ;;
usage)
    run 2 run --no-such-flag x.c
    err_is "corace: run: unknown flag '--no-such-flag' (see 'corace run --help')"
    run 2 run --exitcode 300 x.c
    run 2 run --format xml x.c
    run 2 run --seed
    run 2 run
    run 0 run --help
    grep -q -- "--halt-on-error" "$tmp/out" || fail "run --help does not list --halt-on-error"
    run 0 --help
    grep -q "run \[flags\] prog.c" "$tmp/out" || fail "--help does not list run"
    grep -q "cc \[COMPILER\] ARGS" "$tmp/out" || fail "--help does not list cc"
    ;;
race)
    run 66 run --seed 1 "$samples/next_lost_update.c"
    grep -q "^WARNING: DATA RACE$" "$tmp/err" || { cat "$tmp/err"; fail "no race report"; }
    grep -q "^Found [0-9]* data race" "$tmp/err" || fail "no 'Found N data race(s)' line"
    # Cached the second time; --exitcode changes the status.
    run 3 run --seed 1 --exitcode 3 "$samples/next_lost_update.c"
    grep -q "^WARNING: DATA RACE$" "$tmp/err" || fail "no race report from the cached program"
    ;;
clean)
    run 0 run --seed 1 "$samples/next_lost_update_fixed.c"
    grep -q "DATA RACE" "$tmp/err" && fail "a report for the fixed twin: $(cat "$tmp/err")"
    ;;
flags)
    cd "$tmp" || exit 1
    cat >env.c <<'EOF'
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv)
{
    printf("seed=%s\n", getenv("CO_SEED") ? getenv("CO_SEED") : "");
    for (int i = 1; i < argc; i++)
        printf("arg=%s\n", argv[i]);
    return argc + 2;
}
EOF
    run 5 run --seed 42 env.c -- one two.c
    grep -qx "seed=42" out || fail "CO_SEED not set: $(cat out)"
    grep -qx "arg=two.c" out || fail "arguments not passed: $(cat out)"
    ;;
checked_binary)
    cd "$tmp" || exit 1
    "$corace" cc -O1 "$samples/next_lost_update.c" -o nlu || fail "corace cc exited $?"
    run 66 run ./nlu
    grep -q "^WARNING: DATA RACE$" "$tmp/err" || fail "no race report"
    ;;
*)
    fail "unknown case $case_"
    ;;
esac
echo "PASS: run $case_"
