#!/usr/bin/env bash
# check_sample.sh BINARY SOURCE
#
# Runs one sample (CO_SEED=1, timeout 20 s) and checks it against the
# `// expect: <kinds>` line its source starts with.  Only what the runtime
# decides today is asserted:
#   deadlock  exit 2, stderr has "fatal error: all goroutines are asleep -
#             deadlock!" and a "goroutine 1 [" header
#   panic     exit 2, stderr starts with "panic: " or "fatal error: "
#   clean     exit 0, no "fatal error"/"panic:" on stderr
# Kinds the checker reports (race, leak, copy, lock-order, wait-cycle, partial) print
# "SKIP-KIND <kind> (checker not built yet)"; the runtime-visible part is
# still asserted: a sample without deadlock/panic must run to completion
# (no timeout, no exit 2, no fatal error/panic on stderr).
# Also checks the sample's shape: exactly one expect line first, then an
# optional `// explore: <kinds>` line (bug samples only; it must name every
# kind of the expect line), a comment block after them, a *_fixed.c twin
# (expect: clean) beside every bug.
set -u

bin=${1:?usage: check_sample.sh BINARY SOURCE}
src=${2:?usage: check_sample.sh BINARY SOURCE}
name=$(basename "$src" .c)
failures=0

fail() {
    echo "FAIL [$name]: $*"
    failures=$((failures + 1))
}

# ---- the source's shape --------------------------------------------------------
first=$(head -n 1 "$src")
if [[ ! $first =~ ^//\ expect:\ ([a-z,-]+)$ ]]; then
    echo "FAIL [$name]: first line must be '// expect: <kinds>', got: $first"
    exit 1
fi
kinds_csv=${BASH_REMATCH[1]}
IFS=, read -r -a kinds <<<"$kinds_csv"
if [ "$(grep -c '^// expect:' "$src")" -ne 1 ]; then
    fail "more than one '// expect:' line"
fi
# Line 2 may be `// explore: <kinds>`: what `corace explore` must find in a
# sample whose bug needs a particular interleaving (check_explore_samples.sh
# asserts it); the comment block then opens on line 3.
explore_csv=
block_line=2
second=$(sed -n 2p "$src")
if [[ $second == "// explore:"* ]]; then
    if [[ $second =~ ^//\ explore:\ ([a-z,-]+)$ ]]; then
        explore_csv=${BASH_REMATCH[1]}
    else
        fail "line 2 must be '// explore: <kinds>', got: $second"
    fi
    block_line=3
fi
if [ "$(grep -c '^// explore:' "$src")" -gt 1 ]; then
    fail "more than one '// explore:' line"
fi
if ! sed -n "${block_line}p" "$src" | grep -q '^/\*'; then
    fail "line $block_line must open the comment block (seed, bug, fix)"
fi
if ! sed -n '2,40p' "$src" | grep -qi 'seed 00[0-9]'; then
    fail "the comment block must name the seed it comes from"
fi

declare -A want=()
for k in "${kinds[@]}"; do
    case $k in
    race | deadlock | leak | lock-order | wait-cycle | partial | panic | copy | clean) want[$k]=1 ;;
    *) fail "unknown kind '$k' in expect line" ;;
    esac
done
if [ -n "${want[clean]:-}" ] && [ "${#want[@]}" -ne 1 ]; then
    fail "'clean' cannot be combined with other kinds"
fi
if [ -n "$explore_csv" ]; then
    declare -A explore=()
    IFS=, read -r -a ekinds <<<"$explore_csv"
    for k in "${ekinds[@]}"; do
        case $k in
        race | deadlock | leak | lock-order | wait-cycle | partial | panic | copy) explore[$k]=1 ;;
        *) fail "unknown kind '$k' in explore line" ;;
        esac
    done
    # A schedule explored is a run: what every run shows, exploring finds.
    for k in "${kinds[@]}"; do
        [ "$k" = clean ] || [ -n "${explore[$k]:-}" ] ||
            fail "'$k' is expected on every run but missing from the explore line"
    done
    [[ $name != *_fixed ]] || fail "a *_fixed.c twin has no explore line (exploring it must find nothing)"
fi
if [[ $name == *_fixed ]]; then
    [ -n "${want[clean]:-}" ] || fail "a *_fixed.c twin must be '// expect: clean'"
    [ -f "${src%_fixed.c}.c" ] || fail "fixed twin without its bug ${src%_fixed.c}.c"
else
    # clean on every run is a bug sample only if exploring finds the bug.
    [ -z "${want[clean]:-}" ] || [ -n "$explore_csv" ] ||
        fail "a bug sample cannot be 'clean' (unless an explore line names what exploring finds)"
    [ -f "${src%.c}_fixed.c" ] || fail "bug sample without its twin ${src%.c}_fixed.c"
fi

# ---- run it ------------------------------------------------------------------------
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2086 # the emulator is a command with arguments
CO_SEED=1 timeout 20 ${CORACE_TEST_EMULATOR:-} "$bin" >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
echo "== $name: expect $kinds_csv; exit status $rc"

show_output() {
    echo "---- stdout (first 40 lines)"
    head -n 40 "$tmp/out"
    echo "---- stderr (first 80 lines)"
    head -n 80 "$tmp/err"
    echo "----"
}

if [ "$rc" -eq 124 ]; then
    fail "timed out after 20 s (hung instead of finishing or reporting)"
fi

err_first=$(head -n 1 "$tmp/err")
dl_line='fatal error: all goroutines are asleep - deadlock!'

if [ -n "${want[deadlock]:-}" ]; then
    [ "$rc" -eq 2 ] || fail "deadlock: want exit status 2, got $rc"
    grep -qxF "$dl_line" "$tmp/err" || fail "deadlock: stderr lacks '$dl_line'"
    grep -q '^goroutine 1 \[' "$tmp/err" || fail "deadlock: stderr lacks a 'goroutine 1 [' header"
fi
if [ -n "${want[panic]:-}" ]; then
    [ "$rc" -eq 2 ] || fail "panic: want exit status 2, got $rc"
    [[ $err_first == "panic: "* || $err_first == "fatal error: "* ]] ||
        fail "panic: stderr must start with 'panic: ' or 'fatal error: ', starts with: $err_first"
fi
if [ -n "${want[clean]:-}" ]; then
    [ "$rc" -eq 0 ] || fail "clean: want exit status 0, got $rc"
fi
if [ -z "${want[deadlock]:-}" ] && [ -z "${want[panic]:-}" ]; then
    # clean, or only checker kinds: the program itself must run to its end.
    [ "$rc" -ne 2 ] || fail "exit status 2 but neither deadlock nor panic expected"
    if grep -qE '^(fatal error|panic):' "$tmp/err"; then
        fail "unexpected runtime error on stderr"
    fi
fi
if [ -z "${want[deadlock]:-}" ] && grep -qxF "$dl_line" "$tmp/err"; then
    fail "deadlock reported but not expected"
fi
for k in race leak copy lock-order wait-cycle partial; do
    if [ -n "${want[$k]:-}" ]; then
        echo "SKIP-KIND $k (checker not built yet)"
    fi
done

if [ "$failures" -ne 0 ]; then
    show_output
    exit 1
fi
echo "PASS [$name]"
exit 0
