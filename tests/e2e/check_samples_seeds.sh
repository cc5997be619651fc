#!/usr/bin/env bash
# check_samples_seeds.sh CORACE SAMPLES_DIR [SEEDS]
#
# Every sample, built for checking, under seeds 1..SEEDS (default 20): a
# sample that expects a race reports one (WARNING: DATA RACE, exit 66) under
# every seed, and a sample that does not expect one never reports one.
set -u
corace=${1:?usage: check_samples_seeds.sh CORACE SAMPLES_DIR [SEEDS]}
dir=${2:?usage: check_samples_seeds.sh CORACE SAMPLES_DIR [SEEDS]}
seeds=${3:-20}
failures=0
runs=0
for src in "$dir"/*.c; do
    name=$(basename "$src" .c)
    kinds=$(head -n 1 "$src" | sed -n 's|^// expect: ||p')
    want_race=0
    [[ ",$kinds," == *,race,* ]] && want_race=1
    for seed in $(seq 1 "$seeds"); do
        err=$(timeout 60 "$corace" run --seed "$seed" "$src" 2>&1 >/dev/null </dev/null)
        rc=$?
        runs=$((runs + 1))
        races=$(grep -c '^WARNING: DATA RACE$' <<<"$err")
        if [ "$want_race" -eq 1 ]; then
            if [ "$races" -lt 1 ] || [ "$rc" -ne 66 ]; then
                echo "FAIL [$name seed $seed]: expected a race report and exit 66, got $races report(s), exit $rc"
                failures=$((failures + 1))
            fi
        elif [ "$races" -ne 0 ]; then
            echo "FAIL [$name seed $seed]: a race was reported on a sample that expects none ($kinds)"
            head -n 30 <<<"$err"
            failures=$((failures + 1))
        fi
    done
done
echo "$runs runs, $failures failed"
[ "$failures" -eq 0 ]
