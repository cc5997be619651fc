#!/usr/bin/env bash
# check_explore_samples.sh CORACE SAMPLES_DIR [SCHEDULES [TWIN_SCHEDULES]]
#
# Samples whose bug needs a particular interleaving carry a line 2
# `// explore: <kinds>`.  For each of them and each strategy (random, pct):
#   - `corace explore --schedules SCHEDULES` (default 1000, seed 1) finds
#     every kind of the explore line, and exits 2 (a schedule hung: global
#     deadlock) or 66 (findings only);
#   - its *_fixed.c twin, explored for TWIN_SCHEDULES (default 200), gives no
#     finding at all and exits 0.
# A bug sample whose expect line is not `clean` is explored with
# --keep-going, so that a kind every schedule shows (a lock-order inversion)
# does not stop the search before the schedule that hangs; one that is clean
# on every single run stops at its first finding, which must show every kind
# of the explore line.  The twins are explored with --keep-going.  The first
# seed that showed each kind is printed.
set -u
corace=${1:?usage: check_explore_samples.sh CORACE SAMPLES_DIR [SCHEDULES [TWIN_SCHEDULES]]}
dir=${2:?usage: check_explore_samples.sh CORACE SAMPLES_DIR [SCHEDULES [TWIN_SCHEDULES]]}
schedules=${3:-1000}
twin_schedules=${4:-200}
failures=0
explored=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
    echo "FAIL $*"
    failures=$((failures + 1))
}

# "KIND SEED" for each finding line of `--format json`: its top-level "kind"
# (the first member, mapped to the expect line's names) and its "seed" (the
# first "seed" member: the checker's own records have none).  The summary
# line is left out.
findings() {
    local line k seed
    while IFS= read -r line; do
        [[ $line =~ ^\{\"kind\":\"([a-z-]+)\" ]] || continue
        k=${BASH_REMATCH[1]}
        seed='?'
        [[ $line =~ \"seed\":([0-9]+) ]] && seed=${BASH_REMATCH[1]}
        case $k in
        summary) continue ;;
        partial-deadlock) k=partial ;;
        recursive-read) k=lock-order ;;
        runtime-error) k=panic ;;
        esac
        echo "$k $seed"
    done <"$1"
}

# explore NAME STRATEGY SCHEDULES SOURCE [FLAGS...]: runs it, sets rc, out
# (the JSON file), log.
explore() {
    out=$tmp/$1.$2.json
    log=$tmp/$1.$2.log
    timeout 300 "$corace" explore --schedules "$3" --strategy "$2" --seed 1 "${@:5}" \
        --format json -o "$out" "$4" >"$log" 2>&1 </dev/null
    rc=$?
}

for src in "$dir"/*.c; do
    name=$(basename "$src" .c)
    want=$(sed -n '2s|^// explore: ||p' "$src")
    [ -n "$want" ] || continue
    twin=${src%.c}_fixed.c
    flags=(--keep-going)
    [ "$(sed -n '1s|^// expect: ||p' "$src")" != clean ] || flags=()
    for st in random pct; do
        explored=$((explored + 1))
        start=$SECONDS
        explore "$name" "$st" "$schedules" "$src" "${flags[@]}"
        if [ "$rc" -ne 2 ] && [ "$rc" -ne 66 ]; then
            fail "[$name $st]: exit $rc, want 2 or 66"
            tail -n 20 "$log"
        fi
        [ -s "$out" ] || { fail "[$name $st]: no JSON output"; continue; }
        grep -q '^{"kind":"summary"' "$out" || fail "[$name $st]: no summary line"
        findings "$out" >"$tmp/found"
        found=$(cut -d' ' -f1 "$tmp/found" | sort -u | paste -sd, -)
        IFS=, read -r -a wanted <<<"$want"
        for k in "${wanted[@]}"; do
            first=$(awk -v k="$k" '$1 == k { print $2 }' "$tmp/found" | sort -n | head -n 1)
            if [ -z "$first" ]; then
                fail "[$name $st]: no $k within $schedules schedules (found: ${found:-nothing})"
                tail -n 20 "$log"
            else
                echo "ok [$name $st]: $k, first at seed $first"
            fi
        done
        echo "   [$name $st]: found $found in $((SECONDS - start)) s, exit $rc"

        [ -f "$twin" ] || { fail "[$name]: no fixed twin $twin"; continue; }
        explore "${name}_fixed" "$st" "$twin_schedules" "$twin" --keep-going
        tfound=$(findings "$out" | cut -d' ' -f1 | sort -u | paste -sd, -)
        if [ "$rc" -ne 0 ] || [ -n "$tfound" ]; then
            fail "[${name}_fixed $st]: exit $rc, findings: ${tfound:-none} (want exit 0, none in $twin_schedules schedules)"
            tail -n 20 "$log"
        else
            echo "ok [${name}_fixed $st]: no finding in $twin_schedules schedules"
        fi
    done
done
[ "$explored" -gt 0 ] || fail "no sample in $dir has a '// explore:' line"
echo "$explored explorations, $failures failed"
[ "$failures" -eq 0 ]
