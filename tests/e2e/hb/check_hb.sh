#!/usr/bin/env bash
# check_hb.sh BINARY SOURCE
#
# Runs one tests/e2e/hb program, built for checking, under CO_SEED=1..20
# (timeout 20 s each) and checks every run:
#   *_race.c  exit status 66; exactly one "WARNING: DATA RACE" report; its two
#             access stacks ("Read/Write at ..." and "Previous read/write at
#             ...") each start with a frame at FILE:<line> where <line> is a
#             line of SOURCE marked /* ACCESS */, and between them they name
#             every marked line; "Found 1 data race(s)".
#   *_ok.c    exit status 0; no "WARNING: DATA RACE", no "Found ".
# Line numbers are never hard-coded: they come from grep -n of the markers.
set -u

bin=${1:?usage: check_hb.sh BINARY SOURCE}
src=${2:?usage: check_hb.sh BINARY SOURCE}
name=$(basename "$src" .c)
file=$(basename "$src")
seeds=${CORACE_HB_SEEDS:-20}

case $name in
*_race) kind=race ;;
*_ok) kind=ok ;;
*)
    echo "FAIL [$name]: the name must end in _ok or _race"
    exit 1
    ;;
esac

mapfile -t marked < <(grep -n '/\* ACCESS \*/' "$src" | cut -d: -f1)
if [ "${#marked[@]}" -lt 1 ] || [ "${#marked[@]}" -gt 2 ]; then
    echo "FAIL [$name]: want one or two lines marked /* ACCESS */, found ${#marked[@]}"
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
failed_seeds=()

# The first frame's file:line under a header line matching ERE $1: the line
# number, or nothing.
first_frame_line() {
    awk -v re="$1" -v f="$file" '
        found && /^      / {
            s = $1
            n = split(s, parts, ":")
            if (n >= 2 && parts[n-1] ~ ("(^|/)" f "$")) print parts[n]
            exit
        }
        $0 ~ re { found = 1 }
    ' "$tmp/err"
}

for seed in $(seq 1 "$seeds"); do
    # shellcheck disable=SC2086 # the emulator is a command with arguments
    CO_SEED=$seed timeout 20 ${CORACE_TEST_EMULATOR:-} "$bin" >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
    why=()
    nrep=$(grep -c '^WARNING: DATA RACE$' "$tmp/err")
    if [ "$rc" -eq 124 ]; then
        why+=("timed out after 20 s")
    fi
    if [ "$kind" = ok ]; then
        [ "$rc" -eq 0 ] || why+=("want exit status 0, got $rc")
        [ "$nrep" -eq 0 ] || why+=("want no race report, got $nrep")
        if grep -q '^Found ' "$tmp/err"; then why+=("unexpected 'Found' line"); fi
    else
        [ "$rc" -eq 66 ] || why+=("want exit status 66, got $rc")
        [ "$nrep" -eq 1 ] || why+=("want exactly one race report, got $nrep")
        grep -qxF 'Found 1 data race(s)' "$tmp/err" || why+=("no 'Found 1 data race(s)'")
        cur=$(first_frame_line '^(Read|Write|Atomic read|Atomic write) at ')
        prev=$(first_frame_line '^Previous (read|write|atomic read|atomic write) at ')
        named=" $cur $prev "
        for l in "$cur" "$prev"; do
            ok=0
            for m in "${marked[@]}"; do [ "$l" = "$m" ] && ok=1; done
            [ "$ok" -eq 1 ] || why+=("an access stack starts at $file:${l:-?}, not at a marked line (${marked[*]})")
        done
        for m in "${marked[@]}"; do
            [[ $named == *" $m "* ]] || why+=("no access stack starts at the marked line $file:$m")
        done
    fi
    if grep -qE '^(fatal error|panic):' "$tmp/err"; then
        why+=("runtime error on stderr")
    fi
    if [ "${#why[@]}" -ne 0 ]; then
        failures=$((failures + 1))
        failed_seeds+=("$seed")
        echo "FAIL [$name] CO_SEED=$seed:"
        printf '  - %s\n' "${why[@]}"
        if [ "$failures" -le 2 ]; then
            echo "---- stdout (first 20 lines)"
            head -n 20 "$tmp/out"
            echo "---- stderr (first 60 lines)"
            head -n 60 "$tmp/err"
            echo "----"
        fi
    fi
done

if [ "$failures" -ne 0 ]; then
    echo "FAIL [$name]: $failures of $seeds seeds failed (seeds: ${failed_seeds[*]})"
    exit 1
fi
echo "PASS [$name]: $seeds seeds, $kind"
exit 0
