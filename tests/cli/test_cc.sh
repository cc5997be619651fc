#!/usr/bin/env bash
# test_cc.sh CASE CORACE SAMPLES_DIR - tests of `corace cc`.
#   compile      corace cc -c gives an instrumented object (__tsan_func_entry)
#   passthrough  --version, -dumpversion, -print-prog-name= print what the compiler prints
#   nocompiler   CORACE_CC=nosuch: one "corace: " line, exit 2
#   link         (needs the checker runtime) compile+link in one line: the program
#                defines __tsan_init, has no libtsan, and no -fsanitize=thread reached the link
#   make         (needs the checker runtime) CC="corace cc" make builds a checked program
set -u
case_=${1:?usage: test_cc.sh CASE CORACE SAMPLES_DIR}
corace=${2:?}
samples=${3:?}
cc=${CORACE_CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

case $case_ in
compile)
    "$corace" cc -O1 -c "$samples/next_lost_update.c" -o "$tmp/nlu.o" || fail "corace cc -c exited $?"
    nm "$tmp/nlu.o" | grep -q ' U __tsan_func_entry$' || fail "no __tsan_func_entry in the object"
    nm "$tmp/nlu.o" | grep -q ' U __tsan_init$' || fail "no __tsan_init in the object"
    # -E sees -fsanitize=thread (the compiler defines __SANITIZE_THREAD__) and corace.h.
    printf '#include <corace.h>\n#ifdef __SANITIZE_THREAD__\nchecked_yes\n#endif\n' >"$tmp/p.c"
    "$corace" cc -E "$tmp/p.c" >"$tmp/p.i" || fail "corace cc -E exited $?"
    grep -q checked_yes "$tmp/p.i" || fail "-E did not get -fsanitize=thread"
    ;;
passthrough)
    for args in "--version" "-dumpversion" "-print-prog-name=ld"; do
        want=$($cc $args 2>&1); wrc=$?
        got=$("$corace" cc $args 2>&1); grc=$?
        [ "$wrc" = "$grc" ] || fail "corace cc $args exited $grc, $cc $args exited $wrc"
        [ "$want" = "$got" ] || fail "corace cc $args printed '$got', $cc printed '$want'"
    done
    ;;
nocompiler)
    out=$(CORACE_CC=no-such-compiler-xyz "$corace" cc -c "$samples/next_lost_update.c" -o "$tmp/x.o" 2>&1)
    rc=$?
    [ "$rc" = 2 ] || fail "exit status $rc, want 2"
    [ "$out" = "corace: C compiler 'no-such-compiler-xyz' not found (set CORACE_CC to a C compiler)" ] ||
        fail "message: $out"
    ;;
link)
    "$corace" cc -v -O1 "$samples/next_lost_update.c" -o "$tmp/prog" 2>"$tmp/v" || { cat "$tmp/v"; fail "link exited $?"; }
    if grep -E 'collect2|/ld ' "$tmp/v" | grep -qE 'tsan|sanitize=thread'; then
        grep -E 'collect2|/ld ' "$tmp/v"; fail "the link line mentions tsan"
    fi
    readelf -d "$tmp/prog" | grep NEEDED | grep -q tsan && fail "the program needs libtsan"
    nm "$tmp/prog" | grep -q ' T __tsan_init$' || fail "the program does not define __tsan_init"
    ;;
make)
    mkdir "$tmp/proj"
    cat >"$tmp/proj/Makefile" <<'EOF'
prog: main.o util.o
	$(CC) $(LDFLAGS) -o $@ main.o util.o $(LDLIBS)
%.o: %.c
	$(CC) $(CFLAGS) -c -o $@ $<
EOF
    printf '#include <corace.h>\nint twice(int);\nint main(void) { return twice(2) == 4 ? 0 : 1; }\n' >"$tmp/proj/main.c"
    printf 'int twice(int x) { return 2 * x; }\n' >"$tmp/proj/util.c"
    # A Makefile written for the plain runtime: -lcorace is replaced by the checked one.
    make -s -C "$tmp/proj" CC="$corace cc" CFLAGS=-O1 LDLIBS="-lcorace -lunwind -ldw -lelf" ||
        fail "make exited $?"
    nm "$tmp/proj/main.o" | grep -q __tsan_init || fail "main.o is not instrumented"
    "$corace" run "$tmp/proj/prog" || fail "the checked program exited $?"
    ;;
*)
    fail "unknown case $case_"
    ;;
esac
echo "PASS: cc $case_"
