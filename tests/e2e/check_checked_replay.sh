#!/usr/bin/env bash
# check_checked_replay.sh CORACE SOURCE... 
#
# Under the checker, the same program and CO_SEED give the same schedule and
# the same reports: each source is run twice per seed (1..10) and the two
# outputs must be identical once addresses are masked (ASLR moves them);
# a third run with CORACE_OPTIONS=seed=N must match too.
set -u
corace=${1:?usage: check_checked_replay.sh CORACE SOURCE...}
shift
failures=0
mask() { sed -E 's/0x[0-9a-f]{6,}/0xADDR/g'; }
for src in "$@"; do
    for seed in $(seq 1 10); do
        a=$(timeout 60 "$corace" run --seed "$seed" "$src" 2>&1 </dev/null | mask)
        b=$(timeout 60 "$corace" run --seed "$seed" "$src" 2>&1 </dev/null | mask)
        if [ "$a" != "$b" ]; then
            echo "FAIL [$(basename "$src") seed $seed]: two runs differ"
            diff <(echo "$a") <(echo "$b") | head -n 20
            failures=$((failures + 1))
        fi
        # CORACE_OPTIONS=seed=N stands for CO_SEED=N.
        c=$(CORACE_OPTIONS="seed=$seed" timeout 60 "$corace" run "$src" 2>&1 </dev/null | mask)
        if [ "$a" != "$c" ]; then
            echo "FAIL [$(basename "$src") seed $seed]: CORACE_OPTIONS=seed=$seed differs from --seed $seed"
            failures=$((failures + 1))
        fi
    done
done
echo "replay: $failures failure(s)"
[ "$failures" -eq 0 ]
