#!/usr/bin/env bash
# check_samples_seeds.sh CORACE SAMPLES_DIR [SEEDS]
#
# Every sample, built for checking, under seeds 1..SEEDS (default 20): a
# sample that expects a race, a leak, a copied sync value, a lock-order
# inversion, a wait-for cycle, a partial or a global deadlock reports it
# under every seed (a race: exit 66; a global deadlock: exit 2), and a sample
# that does not expect one never reports one.  The line 1 `// expect:` of a
# sample with a `// explore:` line is what every single run shows: its bug
# needs an interleaving that these runs must not stumble on (exploring finds
# it, check_explore_samples.sh).
set -u
corace=${1:?usage: check_samples_seeds.sh CORACE SAMPLES_DIR [SEEDS]}
dir=${2:?usage: check_samples_seeds.sh CORACE SAMPLES_DIR [SEEDS]}
seeds=${3:-20}
failures=0
runs=0
# The checker's findings, by expect kind and the line that opens each.
declare -A line=([race]='WARNING: DATA RACE' [leak]='WARNING: GOROUTINE LEAK'
    [copy]='WARNING: SYNC OBJECT COPIED AFTER FIRST USE'
    [lock-order]='WARNING: POTENTIAL DEADLOCK (lock-order inversion)'
    [wait-cycle]='WARNING: DEADLOCK (wait-for cycle)' [partial]='WARNING: PARTIAL DEADLOCK'
    [deadlock]='fatal error: all goroutines are asleep - deadlock!')
for src in "$dir"/*.c; do
    name=$(basename "$src" .c)
    kinds=$(head -n 1 "$src" | sed -n 's|^// expect: ||p')
    for seed in $(seq 1 "$seeds"); do
        err=$(timeout 60 "$corace" run --seed "$seed" "$src" 2>&1 >/dev/null </dev/null)
        rc=$?
        runs=$((runs + 1))
        for k in race leak copy lock-order wait-cycle partial deadlock; do
            n=$(grep -cxF "${line[$k]}" <<<"$err")
            if [[ ",$kinds," == *",$k,"* ]]; then
                if [ "$n" -lt 1 ]; then
                    echo "FAIL [$name seed $seed]: expected a $k report, got none (exit $rc)"
                    failures=$((failures + 1))
                fi
            elif [ "$n" -ne 0 ]; then
                echo "FAIL [$name seed $seed]: a $k report on a sample that expects $kinds"
                head -n 30 <<<"$err"
                failures=$((failures + 1))
            fi
        done
        if [[ ",$kinds," == *,race,* && ",$kinds," != *,deadlock,* && "$rc" -ne 66 ]]; then
            echo "FAIL [$name seed $seed]: exit $rc, want 66"
            failures=$((failures + 1))
        fi
        if [[ ",$kinds," == *,deadlock,* && "$rc" -ne 2 ]]; then
            echo "FAIL [$name seed $seed]: exit $rc, want 2 (global deadlock)"
            failures=$((failures + 1))
        fi
        if [ "$rc" -eq 124 ]; then
            echo "FAIL [$name seed $seed]: timed out after 60 s"
            failures=$((failures + 1))
        fi
    done
done
echo "$runs runs, $failures failed"
[ "$failures" -eq 0 ]
