#!/usr/bin/env bash
# test_run.sh CASE CORACE SAMPLES_DIR - tests of `corace run`.
#   missing        a missing source: "corace: F: No such file or directory", exit 125
#   plain_binary   a program built with plain cc is refused, exit 125
#   compile_error  the compiler's diagnostics, then exit 125
#   usage          unknown flag, bad --exitcode, --timeout, --strategy, --depth, a missing
#                  --replay file, no program: exit 1
#   race           (needs the checker runtime) next_lost_update: WARNING: DATA RACE, exit 66
#   clean          (needs the checker runtime) next_lost_update_fixed: exit 0, no report
#   flags          (needs the checker runtime) --exitcode, --seed and arguments reach the program
#   checked_binary (needs the checker runtime) corace cc then corace run ./prog
#   suppressions   (needs the checker runtime) --suppressions hides one of two races,
#                  all of them (exit 0), a malformed file, -v lists unmatched rules
#   timeout        (needs the checker runtime) --timeout: SIGQUIT's goroutine dump, exit 2
#   quiet          (needs the checker runtime) -q silences verbosity=1 of CORACE_OPTIONS
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
    run 125 run no_such_prog.c
    err_is "corace: no_such_prog.c: No such file or directory"
    run 125 run ./no_such_binary
    err_is "corace: ./no_such_binary: No such file or directory"
    ;;
plain_binary)
    cd "$tmp" || exit 1
    printf 'int main(void) { return 0; }\n' >plain.c
    ${CORACE_CC:-cc} plain.c -o plain || fail "cannot build a plain program"
    run 125 run ./plain
    err_is "corace: ./plain was not built for checking (build it with 'corace cc' or run its sources with 'corace run prog.c')"
    # Something that is no ELF file at all is refused the same way.
    printf '#!/bin/sh\nexit 0\n' >script && chmod +x script
    run 125 run ./script
    err_is "corace: ./script was not built for checking (build it with 'corace cc' or run its sources with 'corace run prog.c')"
    ;;
compile_error)
    cd "$tmp" || exit 1
    printf 'int main(void) { return undeclared_thing; }\n' >bad.c
    run 125 run bad.c
    grep -q "bad.c:1:.*undeclared_thing" "$tmp/err" || { cat "$tmp/err"; fail "no diagnostics"; }
    [ -s "$tmp/out" ] && fail "unexpected stdout: $(cat "$tmp/out")"
    ;;
usage)
    run 1 run --no-such-flag x.c
    err_is "corace: run: unknown flag '--no-such-flag' (see 'corace run --help')"
    run 1 run --exitcode 300 x.c
    run 1 run --format xml x.c
    run 1 run --seed
    run 1 run
    for d in 5 1.5 10x -1s 0 0s "" 1h-5m 1s2; do
        run 1 run --timeout "$d" x.c
        err_is "corace: run: --timeout wants a positive duration such as 300ms, 1.5s, 2m or 1h30m, not '$d' (see 'corace run --help')"
    done
    run 1 run --timeout
    run 1 run --suppressions /no/such/file x.c
    err_is "corace: run: --suppressions /no/such/file: No such file or directory (see 'corace run --help')"
    # The schedule flags (docs/explore.md).
    run 1 run --strategy bogus x.c
    err_is "corace: run: --strategy wants entry, random or pct, not 'bogus' (see 'corace run --help')"
    for d in 0 -1 x 65 100; do
        run 1 run --strategy pct --depth "$d" x.c
        err_is "corace: run: --depth wants an integer from 1 to 64, not '$d' (see 'corace run --help')"
    done
    run 1 run --strategy pct --steps -5 x.c
    run 1 run --depth 3 x.c
    err_is "corace: run: --depth applies to --strategy pct only (see 'corace run --help')"
    run 1 run --strategy random --steps 10 x.c
    err_is "corace: run: --steps applies to --strategy pct only (see 'corace run --help')"
    run 1 run --replay /no/such/trace x.c
    err_is "corace: run: --replay /no/such/trace: No such file or directory (see 'corace run --help')"
    run 1 run --replay "$tmp" x.c
    err_is "corace: run: --replay $tmp: Is a directory (see 'corace run --help')"
    run 1 run --record "" x.c
    run 0 run --help
    grep -q -- "--halt-on-error" "$tmp/out" || fail "run --help does not list --halt-on-error"
    grep -q -- "--replay FILE" "$tmp/out" || fail "run --help does not list --replay"
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
suppressions)
    cd "$tmp" || exit 1
    # Two races in two functions: a suppression hides one, the other stays.
    cat >two.c <<'EOF'
#include <corace.h>
static co_waitgroup wg;
/* Apart: one report per 8-byte granule. */
static struct { int a; char pad[64]; int b; } v;
static void bump_a(void) { v.a++; }
static void bump_b(void) { v.b++; }
static void worker(void *arg)
{
    (void)arg;
    bump_a();
    bump_b();
    co_waitgroup_done(&wg);
}
int main(void)
{
    for (int i = 0; i < 2; i++) {
        co_waitgroup_add(&wg, 1);
        co_go(worker, NULL);
    }
    co_waitgroup_wait(&wg);
    return 0;
}
EOF
    run 66 run --seed 1 two.c
    [ "$(grep -c '^WARNING: DATA RACE$' "$tmp/err")" = 2 ] || { cat "$tmp/err"; fail "want two races unsuppressed"; }
    printf '# the counter a is known\nrace:bump_a\n\nleak:never_matches\n' >sup.txt
    run 66 run --seed 1 --suppressions sup.txt two.c
    [ "$(grep -c '^WARNING: DATA RACE$' "$tmp/err")" = 1 ] || { cat "$tmp/err"; fail "want one race left"; }
    grep -q "bump_b()" "$tmp/err" || fail "the race on b is not the one left"
    grep -q "bump_a()" "$tmp/err" && fail "the suppressed race on a was printed"
    grep -q "^Found 1 data race(s)$" "$tmp/err" || fail "the suppressed race was counted"
    # Both suppressed (by file path this time): the program's own status.
    printf 'race:bump_a\nrace:*/two.c\n' >all.txt
    run 0 run --seed 1 --suppressions "$tmp/all.txt" two.c
    grep -q "DATA RACE" "$tmp/err" && fail "a suppressed race was printed: $(cat "$tmp/err")"
    # -v: how many each rule matched, and the rules that matched nothing.
    run 66 run -v --seed 1 --suppressions sup.txt two.c
    grep -qx "corace: suppression $tmp/sup.txt:2 race:bump_a matched 1 finding(s)" "$tmp/err" ||
        { cat "$tmp/err"; fail "-v does not count the matched rule"; }
    grep -qx "corace: suppression $tmp/sup.txt:4 leak:never_matches matched nothing" "$tmp/err" ||
        { cat "$tmp/err"; fail "-v does not list the unmatched rule"; }
    # Without -v, no such lines.
    run 66 run --seed 1 --suppressions sup.txt two.c
    grep -q "^corace: suppression" "$tmp/err" && fail "suppression counts without -v"
    # A malformed line: the file and line, status 1, nothing run.
    printf 'race:bump_a\n# ok\nrace bump_b\n' >bad.txt
    run 1 run --seed 1 --suppressions bad.txt two.c
    err_is "corace: $tmp/bad.txt:3: want KIND:PATTERN (e.g. race:my_func), not 'race bump_b'"
    printf 'racy:bump_a\n' >bad.txt
    run 1 run --suppressions bad.txt two.c
    grep -q "^corace: $tmp/bad.txt:1: unknown kind 'racy'" "$tmp/err" || fail "no error for an unknown kind"
    # Leaks: each leaked goroutine is matched alone; all matched, no report.
    cat >leak.c <<'EOF'
#include <corace.h>
static co_chan *c;
static void stuck_a(void *arg) { (void)arg; co_chan_recv(c, NULL); }
static void stuck_b(void *arg) { (void)arg; co_chan_recv(c, NULL); }
int main(void)
{
    c = co_chan_make(0, 0);
    co_go(stuck_a, NULL);
    co_go(stuck_b, NULL);
    co_sleep(1000000);
    return 0;
}
EOF
    printf 'leak:stuck_a\n' >leak1.txt
    run 66 run --suppressions leak1.txt leak.c
    grep -qx "1 goroutine still blocked when main returned" "$tmp/err" || { cat "$tmp/err"; fail "want one leak left"; }
    grep -qx "stuck_b()" "$tmp/err" || fail "stuck_b is not the leak left"
    grep -qx "stuck_a()" "$tmp/err" && fail "the suppressed leak was printed"
    printf 'leak:stuck_?\n' >leak2.txt
    run 0 run --suppressions leak2.txt leak.c
    grep -q "GOROUTINE LEAK" "$tmp/err" && fail "a suppressed leak was printed"
    ;;
timeout)
    cd "$tmp" || exit 1
    cat >sleepy.c <<'EOF'
#include <corace.h>
#include <stdio.h>
static void ticker(void *arg)
{
    (void)arg;
    for (;;)
        co_sleep(5000000);
}
int main(void)
{
    co_go(ticker, NULL);
    printf("started\n");
    fflush(stdout);
    for (;;)
        co_sleep(20000000);
}
EOF
    run 2 run --timeout 300ms sleepy.c
    grep -qx "started" "$tmp/out" || fail "the program's output is lost"
    head -1 "$tmp/err" | grep -qx "SIGQUIT: quit" || { cat "$tmp/err"; fail "no SIGQUIT header"; }
    sed -n 2p "$tmp/err" | grep -qE "^PC=0x[0-9a-f]+ m=0 sigcode=0$" || { cat "$tmp/err"; fail "no PC line"; }
    grep -qx "goroutine 1 \[sleep\]:" "$tmp/err" || { cat "$tmp/err"; fail "no main goroutine"; }
    grep -qx "goroutine 2 \[sleep\]:" "$tmp/err" || { cat "$tmp/err"; fail "no goroutine 2"; }
    grep -qx "ticker()" "$tmp/err" || { cat "$tmp/err"; fail "goroutine 2's stack lacks ticker()"; }
    grep -q "^created by main in goroutine 1" "$tmp/err" || fail "no 'created by'"
    grep -q "co_sleep\|timer_sleep" "$tmp/err" && { cat "$tmp/err"; fail "runtime frames in the dump"; }
    [ "$(tail -1 "$tmp/err")" = "corace: run: timed out after 300ms" ] || { cat "$tmp/err"; fail "no timeout line"; }
    # A program that ignores SIGQUIT is killed after the grace period.
    cat >deaf.c <<'EOF'
#include <corace.h>
#include <signal.h>
int main(void)
{
    signal(SIGQUIT, SIG_IGN);
    for (;;)
        co_sleep(10000000);
}
EOF
    run 2 run --timeout 0.2s deaf.c
    grep -q "^corace: run: the program did not exit within 2 s of SIGQUIT; killed it (SIGKILL)$" "$tmp/err" ||
        { cat "$tmp/err"; fail "no kill note"; }
    [ "$(tail -1 "$tmp/err")" = "corace: run: timed out after 0.2s" ] || fail "no timeout line after a kill"
    # A program that ends in time exits with its own status.
    run 66 run --seed 1 --timeout 1m "$samples/next_lost_update.c"
    grep -q "^WARNING: DATA RACE$" "$tmp/err" || fail "no race report under --timeout"
    # Reports printed before the timeout are kept.
    cat >racy_sleeper.c <<'EOF'
#include <corace.h>
static co_waitgroup wg;
static int a;
static void bump(void *arg) { (void)arg; a++; co_waitgroup_done(&wg); }
int main(void)
{
    co_waitgroup_add(&wg, 2);
    co_go(bump, NULL);
    co_go(bump, NULL);
    co_waitgroup_wait(&wg);
    for (;;)
        co_sleep(10000000);
}
EOF
    run 2 run --seed 1 --timeout 500ms racy_sleeper.c
    grep -q "^WARNING: DATA RACE$" "$tmp/err" || { cat "$tmp/err"; fail "the race before the timeout is lost"; }
    grep -qx "SIGQUIT: quit" "$tmp/err" || fail "no dump after the race"
    ;;
quiet)
    cd "$tmp" || exit 1
    printf 'int main(void) { return 3; }\n' >three.c
    CORACE_OPTIONS=verbosity=1 run 3 run three.c
    grep -q "^corace: CORACE_OPTIONS in effect" "$tmp/err" || { cat "$tmp/err"; fail "verbosity=1 printed nothing"; }
    CORACE_OPTIONS=verbosity=1 run 3 run -q three.c
    [ -s "$tmp/err" ] && fail "-q left stderr: $(cat "$tmp/err")"
    run 3 run three.c
    [ -s "$tmp/err" ] && fail "stderr without -v: $(cat "$tmp/err")"
    run 3 run -v three.c
    grep -q "^corace: CORACE_OPTIONS in effect: .*verbosity=1" "$tmp/err" || { cat "$tmp/err"; fail "-v is not verbosity=1"; }
    ;;
*)
    fail "unknown case $case_"
    ;;
esac
echo "PASS: run $case_"
