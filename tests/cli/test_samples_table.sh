#!/usr/bin/env bash
# test_samples_table.sh CORACE SAMPLES_DIR
# Runs bare `corace samples` and checks its table: a row for every
# SAMPLES_DIR/*.c, fixed twins described as such, abba_deadlock found deadlock (with its
# lock-order inversion when the build has the checker) with verdict ok, and an exit status
# that agrees with the verdicts.
set -u
corace=${1:?usage: test_samples_table.sh CORACE SAMPLES_DIR}
dir=${2:?usage: test_samples_table.sh CORACE SAMPLES_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {
    echo "FAIL: $*"
    fail=1
}

"$corace" samples >"$tmp/table" 2>"$tmp/progress" </dev/null
rc=$?
cat "$tmp/table"

head -n 1 "$tmp/table" | grep -Eq '^SAMPLE +BUG +EXPECTED +FOUND +VERDICT$' ||
    bad "first line is not the header SAMPLE BUG EXPECTED FOUND VERDICT"

n=0
for src in "$dir"/*.c; do
    name=$(basename "$src" .c)
    n=$((n + 1))
    row=$(grep -E "^$name " "$tmp/table")
    if [ -z "$row" ]; then
        bad "no row for $name"
        continue
    fi
    if [[ $name == *_fixed ]] && [[ $row != *" fixed twin "* ]]; then
        bad "$name: a fixed twin's bug column should say 'fixed twin': $row"
    fi
    grep -q "^\[[0-9]*/[0-9]*\] $name \.\.\." "$tmp/progress" || bad "no progress line for $name"
done
rows=$(awk 'NR > 1 && NF == 0 { exit } NR > 1 { n++ } END { print n + 0 }' "$tmp/table")
[ "$rows" -eq "$n" ] || bad "$rows table rows for $n samples"

abba=$(grep -E '^abba_deadlock ' "$tmp/table")
if [ -z "$abba" ] ||
    ! echo "$abba" | awk '{ exit !(NF >= 3 && ($(NF - 1) == "lock-order,wait-cycle,deadlock" || $(NF - 1) == "deadlock") && $NF == "ok") }'; then
    bad "abba_deadlock: want found 'lock-order,wait-cycle,deadlock' (checked) or 'deadlock', verdict 'ok': '$abba'"
fi

grep -q "^$n samples: " "$tmp/table" || bad "no '$n samples: ...' count line"
grep -q '^needs checker: ' "$tmp/table" || bad "no 'needs checker' footnote"
if grep -Eq ' MISMATCH$' "$tmp/table"; then
    [ "$rc" -eq 1 ] || bad "a MISMATCH row but exit status $rc (want 1)"
else
    [ "$rc" -eq 0 ] || bad "no MISMATCH row but exit status $rc (want 0)"
fi

if [ "$fail" -ne 0 ]; then
    echo "---- stderr"
    cat "$tmp/progress"
    exit 1
fi
echo "PASS: $n rows, exit status $rc"
