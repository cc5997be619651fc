#!/usr/bin/env bash
# test_explore.sh CASE CORACE SAMPLES_DIR [FAKE_SERVER] - tests of `corace explore`.
#   usage        bad --shard, --schedules, durations, strategy, format: exit 1
#   fake_find    (fake server) findings read from the records, deduplicated,
#                each printed once with its replay command; options and
#                CORACE_EXPLORE as documented; stops at the first finding
#   fake_fatal   (fake server) a timeout and a crash without records: exit 2
#   fake_shard   (fake server) --shard I/N: seeds S+I+k*N; shards cover a whole run
#   fake_json    (fake server) --format json -o FILE: a line per distinct finding, then the summary
#   fake_pct     (fake server) pct: the calibrated steps reach the replay command
#   fake_budget  (fake server) --time-budget stops a long exploration
#   fake_errors  (fake server) a program that is no fork server, a wrong seed, a server that dies: 125
#   real_find    (engine) a bug that needs an interleaving is found; its replay shows it again
#   real_shard   (engine) --shard 0/2 and 1/2 find what one run finds, JSON lines merge
#   real_exact   (engine) `corace run --seed S` twice: byte-identical stdout+stderr,
#                100 seeds, 3 samples
set -u
case_=${1:?usage: test_explore.sh CASE CORACE SAMPLES_DIR [FAKE_SERVER]}
corace=${2:?}
samples=${3:?}
fake=${4:-}
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
        echo "stdout:"; cat "$tmp/out"; echo "stderr:"; cat "$tmp/err"
        fail "corace $* exited $rc, want $want"
    fi
}
err_is() {
    [ "$(cat "$tmp/err")" = "$1" ] || fail "stderr is '$(cat "$tmp/err")', want '$1'"
}
count() { grep -c -- "$1" "$2"; }

# A race record whose stacks start at pc1 and pc2 (current access first).
race_record() {
    printf '{"kind":"race","addr":"0x00c000010000","size":4,"accesses":['
    printf '{"goroutine":%s,"op":"write","atomic":false,"stack":[{"function":"%s","file":"/p/prog.c","line":%s,"pc":"%s","inlined":false}]},' "$5" "$3" "$4" "$1"
    printf '{"goroutine":%s,"op":"read","atomic":false,"stack":[{"function":"%s","file":"/p/prog.c","line":%s,"pc":"%s","inlined":false}]}],' "$6" "$3" "$4" "$2"
    printf '"goroutines":[{"id":%s,"state":"running","created":[]}]}\n' "$5"
}
leak_record() {
    printf '{"kind":"leak","goroutine":2,"state":"blocked","waitreason":"chan receive","when":"main returned","stack":[{"function":"stuck","file":"/p/prog.c","line":3,"pc":"0x401100","inlined":false}],"created":[{"function":"main","file":"/p/prog.c","line":9,"pc":"0x401200","inlined":false}],"created_by":1}\n'
}

# A plan for the fake: seed 3 a race, seed 5 the same race seen from the
# other side (other goroutines too), seed 7 a leak and the race again.
make_plan() {
    mkdir -p "$tmp/plan"
    race_record 0x401010 0x401020 bump 12 2 3 >"$tmp/plan/s3.jsonl"
    race_record 0x401020 0x401010 bump 12 4 5 >"$tmp/plan/s5.jsonl"
    { leak_record; race_record 0x401010 0x401020 bump 12 2 3; } >"$tmp/plan/s7.jsonl"
}

need_fake() { [ -n "$fake" ] && [ -x "$fake" ] || fail "no fake server given"; }

case $case_ in
usage)
    for s in 1 x/2 1/1 2/2 0/0 -1/2 1/ /2 "0/2/3" 3/2; do
        run 1 explore --shard "$s" x.c
        err_is "corace: explore: --shard wants I/N with 0 <= I < N, not '$s' (see 'corace explore --help')"
    done
    for n in 0 -1 abc 1.5 ""; do
        run 1 explore --schedules "$n" x.c
        err_is "corace: explore: --schedules wants a positive integer, not '$n' (see 'corace explore --help')"
    done
    for d in 5 0 0s 10x -1s ""; do
        run 1 explore --time-budget "$d" x.c
        err_is "corace: explore: --time-budget wants a positive duration such as 30s, 5m or 1h30m, not '$d' (see 'corace explore --help')"
    done
    for d in 5 10x 1h-5m; do
        run 1 explore --timeout "$d" x.c
        err_is "corace: explore: --timeout wants a duration such as 300ms, 1.5s or 2m (0: none), not '$d' (see 'corace explore --help')"
    done
    run 1 explore --strategy entry x.c
    err_is "corace: explore: --strategy wants random or pct, not 'entry' (see 'corace explore --help')"
    run 1 explore --depth 2 x.c
    err_is "corace: explore: --depth and --steps apply to --strategy pct only (see 'corace explore --help')"
    run 1 explore --strategy pct --depth 0 x.c
    run 1 explore --format sarif x.c
    run 1 explore --seed -3 x.c
    run 1 explore --no-such-flag x.c
    err_is "corace: explore: unknown flag '--no-such-flag' (see 'corace explore --help')"
    run 1 explore --shard 5/8 --schedules 4 x.c
    err_is "corace: explore: --shard: this shard has no schedules (I >= --schedules) (see 'corace explore --help')"
    run 1 explore
    run 1 explore --schedules
    # Usage is checked before the program: a missing one is 125 only then.
    run 125 explore no_such_prog.c
    err_is "corace: no_such_prog.c: No such file or directory"
    run 0 explore --help
    grep -q -- "--time-budget" "$tmp/out" || fail "explore --help lacks --time-budget"
    run 0 help explore
    grep -q -- "--shard I/N" "$tmp/out" || fail "help explore lacks --shard"
    ;;
fake_find)
    need_fake
    make_plan
    cd "$tmp" || exit 1
    cp "$fake" ./fake
    FAKE_PLAN=$tmp/plan FAKE_LOG=$tmp/log CORACE_OPTIONS="verbosity=0" run 66 explore --keep-going --schedules 10 ./fake
    # What the server was told.
    grep -qx "options=verbosity=0 strategy=random" log || { cat log; fail "CORACE_OPTIONS for the server"; }
    grep -Eqx "explore=fd=3,first=1,count=10,stride=1,timeout_ms=10000,dir=/.*/corace-explore-[A-Za-z0-9]{6}" log ||
        { cat log; fail "CORACE_EXPLORE for the server"; }
    [ "$(count '^ran ' log)" = 10 ] || fail "--keep-going did not run the 10 schedules"
    # The race (seeds 3, 5, 7: one finding, from either side) and the leak: two findings.
    [ "$(count '^replay: ' out)" = 2 ] || { cat out; fail "want two distinct findings"; }
    [ "$(count '^WARNING: DATA RACE$' out)" = 1 ] || { cat out; fail "the race is not printed once"; }
    [ "$(count '^WARNING: GOROUTINE LEAK$' out)" = 1 ] || { cat out; fail "the leak is not printed once"; }
    grep -qx "corace: explore: finding 1, data race, in the schedule of seed 3:" out || { cat out; fail "no header for finding 1"; }
    grep -qx "replay: corace run --seed 3 --strategy random ./fake" out || { cat out; fail "replay of seed 3"; }
    grep -qx "replay: corace run --seed 7 --strategy random ./fake" out || { cat out; fail "replay of seed 7"; }
    # The report is the checker's text (cmd_report's renderer).
    grep -qx "Write at 0x00c000010000 by goroutine 2:" out || { cat out; fail "race text"; }
    grep -qx "corace: explore: 10 of 10 schedules run (strategy random, seeds 1..10) in .*" out || { cat out; fail "summary"; }
    grep -qx "corace: explore: 2 distinct findings: 1 data race, 1 leak" out || { cat out; fail "summary by kind"; }
    # The directory of records is gone.
    dir=$(sed -n 's/^explore=.*,dir=//p' log)
    [ -e "$dir" ] && fail "$dir is left behind"
    # Arguments: after --, quoted for the shell in the replay command.
    rm -f log
    FAKE_PLAN=$tmp/plan run 66 explore --schedules 10 ./fake -- "a b" "it's"
    grep -qx "replay: corace run --seed 3 --strategy random ./fake -- 'a b' 'it'\\\\''s'" out ||
        { cat out; fail "replay with arguments"; }
    # Without --keep-going: the first finding stops the server (schedules
    # take 50 ms, so it cannot have run far ahead).
    FAKE_PLAN=$tmp/plan FAKE_LOG=$tmp/log FAKE_SLEEP_MS=50 run 66 explore --schedules 100 ./fake
    [ "$(count '^replay: ' out)" = 1 ] || fail "more than the first finding"
    grep -qx "corace: explore: 3 of 100 schedules run .*" out || { cat out; fail "did not stop at seed 3"; }
    grep -qx "corace: explore: stopped at the first schedule with a finding (--keep-going explores on)" out ||
        fail "no stop note"
    ran=$(count '^ran ' log)
    [ "$ran" -le 6 ] || fail "the server went on after the finding ($ran schedules)"
    # Nothing found: status 0.
    FAKE_PLAN=$tmp/none run 0 explore --schedules 20 ./fake
    grep -qx "corace: explore: no findings" out || { cat out; fail "no 'no findings'"; }
    ;;
fake_fatal)
    need_fake
    mkdir -p "$tmp/plan"
    cd "$tmp" || exit 1
    cp "$fake" ./fake
    : >plan/s2.timeout
    : >plan/s4.signal
    leak_record >plan/s6.jsonl
    FAKE_PLAN=$tmp/plan run 2 explore --keep-going --schedules 8 --timeout 1.5s ./fake
    grep -qx "corace: explore: finding 1, livelock or starvation candidate, in the schedule of seed 2:" out ||
        { cat out; fail "timeout finding"; }
    grep -qx "replay: corace run --seed 2 --strategy random --timeout 1.5s ./fake" out || { cat out; fail "timeout replay"; }
    grep -qx "corace: explore: finding 2, crash, in the schedule of seed 4:" out || { cat out; fail "crash finding"; }
    grep -qx "Segmentation fault" out || fail "the crash's stderr is not shown"
    grep -qx "corace: explore: 3 distinct findings: 1 livelock or starvation candidate, 1 crash, 1 leak" out ||
        { cat out; fail "summary"; }
    # The leak alone is 66.
    rm plan/s2.timeout plan/s4.signal
    FAKE_PLAN=$tmp/plan run 66 explore --keep-going --schedules 8 ./fake
    ;;
fake_shard)
    need_fake
    cd "$tmp" || exit 1
    cp "$fake" ./fake
    for i in 0 1 2; do
        FAKE_LOG=$tmp/log$i run 0 explore --seed 5 --schedules 10 --shard $i/3 ./fake
    done
    FAKE_LOG=$tmp/all run 0 explore --seed 5 --schedules 10 ./fake
    grep -q "^explore=fd=3,first=6,count=3,stride=3," log1 || { cat log1; fail "shard 1/3"; }
    grep -q "^explore=fd=3,first=5,count=4,stride=3," log0 || { cat log0; fail "shard 0/3"; }
    # Together the shards ran exactly the seeds of the whole run, each once.
    diff <(cat log0 log1 log2 | grep '^ran ' | sort) <(grep '^ran ' all | sort) || fail "shards differ from the whole"
    [ "$(grep '^ran ' all | sort -u | wc -l)" = 10 ] || fail "the whole run is not 10 seeds"
    ;;
fake_json)
    need_fake
    command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 0; }
    make_plan
    cd "$tmp" || exit 1
    cp "$fake" ./fake
    FAKE_PLAN=$tmp/plan run 66 explore --keep-going --schedules 4 --format json -o a.json ./fake
    grep -q "^replay: corace run --seed 3" out || fail "the text is not on stdout with -o"
    FAKE_PLAN=$tmp/plan run 0 explore --keep-going --schedules 10 --seed 1 --shard 1/2 --format json ./fake
    cp out b.json
    grep -q "^corace: explore: .* schedules run" err || fail "the summary text is not on stderr"
    cat a.json b.json >merged.json
    python3 - merged.json <<'EOF' || fail "JSON lines"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
summaries = [l for l in lines if l["kind"] == "summary"]
found = [l for l in lines if l["kind"] != "summary"]
assert len(summaries) == 2, summaries
assert summaries[0]["schedules"] == 4 and summaries[0]["stride"] == 1, summaries[0]
assert summaries[1]["first_seed"] == 2 and summaries[1]["stride"] == 2 and summaries[1]["shard"] == "1/2", summaries[1]
assert summaries[0]["status"] == 66 and summaries[0]["findings"] == {"race": 1}, summaries[0]
# a.json: the race of seed 3; b.json: shard 1/2 has the even seeds, where the plan has nothing.
assert [f["seed"] for f in found] == [3], found
f = found[0]
assert f["strategy"] == "random" and f["replay"] == "corace run --seed 3 --strategy random ./fake", f
assert f["record"]["kind"] == "race" and len(f["id"]) == 16, f
EOF
    FAKE_PLAN=$tmp/plan run 66 explore --keep-going --schedules 10 --shard 0/2 --format json ./fake
    python3 - out <<'EOF' || fail "JSON lines of shard 0/2"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
found = [l for l in lines if l["kind"] != "summary"]
# seeds 1,3,5,7,9: the race (3; 5 is the same) and the leak (7)
assert sorted((f["kind"], f["seed"]) for f in found) == [("leak", 7), ("race", 3)], found
assert lines[-1]["kind"] == "summary" and lines[-1]["findings"] == {"race": 1, "leak": 1}, lines[-1]
EOF
    ;;
fake_pct)
    need_fake
    make_plan
    cd "$tmp" || exit 1
    cp "$fake" ./fake
    FAKE_PLAN=$tmp/plan FAKE_LOG=$tmp/log run 66 explore --strategy pct --schedules 5 ./fake
    grep -qx "options=strategy=pct pct_depth=3 pct_steps=0" log || { cat log; fail "pct options"; }
    grep -qx "replay: corace run --seed 3 --strategy pct --depth 3 --steps 777 ./fake" out || { cat out; fail "pct replay"; }
    rm log
    FAKE_PLAN=$tmp/plan FAKE_LOG=$tmp/log run 66 explore --strategy pct --depth 2 --steps 50 --schedules 5 ./fake
    grep -qx "options=strategy=pct pct_depth=2 pct_steps=50" log || { cat log; fail "pct options with --steps"; }
    grep -qx "replay: corace run --seed 3 --strategy pct --depth 2 --steps 50 ./fake" out || { cat out; fail "pct replay with --steps"; }
    ;;
fake_budget)
    need_fake
    cd "$tmp" || exit 1
    cp "$fake" ./fake
    start=$(date +%s)
    FAKE_SLEEP_MS=100 FAKE_LOG=$tmp/log run 0 explore --schedules 1000 --time-budget 1s ./fake
    took=$(( $(date +%s) - start ))
    [ "$took" -le 4 ] || fail "--time-budget 1s took $took s"
    grep -qx "corace: explore: stopped by --time-budget 1s" out || { cat out; fail "no budget note"; }
    n=$(sed -n 's/^corace: explore: \([0-9]*\) of 1000 schedules run .*/\1/p' out)
    [ -n "$n" ] && [ "$n" -ge 3 ] && [ "$n" -le 12 ] || { cat out; fail "ran $n schedules in 1 s at 100 ms each"; }
    # The server is gone: nothing runs after corace returned.
    before=$(count '^ran ' log)
    sleep 0.5
    [ "$(count '^ran ' log)" = "$before" ] || fail "the server kept running"
    ;;
fake_errors)
    need_fake
    cd "$tmp" || exit 1
    cp "$fake" ./fake
    FAKE_NOT_SERVER=1 run 125 explore --schedules 3 ./fake
    grep -qx "corace: explore: ./fake did not run as a fork server (exit status 0): was it built with this corace's runtime?" err ||
        { cat err; fail "not a fork server"; }
    FAKE_BAD_SEED=1 run 125 explore --schedules 3 ./fake
    grep -qx "corace: explore: ./fake: unexpected line from the fork server: 'seed=1002 status=0 signal=0 timeout=0 steps=102 usec=10'" err ||
        { cat err; fail "a wrong seed"; }
    FAKE_STOP_AFTER=2 run 125 explore --schedules 10 ./fake
    grep -qx "fake: stopping after 2 schedules" err || { cat err; fail "the server's stderr is not shown"; }
    grep -qx "corace: explore: the fork server exited with status 3 after 2 of 10 schedules" err || { cat err; fail "server died"; }
    # A plain program is refused as corace run refuses it.
    printf 'int main(void) { return 0; }\n' >plain.c
    ${CORACE_CC:-cc} plain.c -o plain || fail "cannot build a plain program"
    run 125 explore ./plain
    err_is "corace: ./plain was not built for checking (build it with 'corace cc' or run its sources with 'corace run prog.c')"
    ;;
real_find)
    # chan_len_check_then_act: clean under every single run's schedule
    # (its expect line), a deadlock when a preemption falls between the
    # len() check and the send.
    cd "$tmp" || exit 1
    src=$samples/chan_len_check_then_act.c
    sed -n 2p "$src" | grep -qx "// explore: deadlock" || fail "the sample's explore line changed"
    for st in random pct; do
        run 2 explore --strategy $st --schedules 1000 "$src"
        grep -q "^corace: explore: finding 1, deadlock, in the schedule of seed [0-9]*:$" out ||
            { cat out; fail "$st: no deadlock found"; }
        grep -qx "corace: explore: stopped at the first schedule with a finding (--keep-going explores on)" out ||
            fail "$st: did not stop at the first finding"
        replay=$(sed -n 's/^replay: corace run //p' out)
        [ "$(echo "$replay" | wc -l)" = 1 ] || fail "$st: want one replay line: $replay"
        # The finding as explore printed it: from the header to the replay line.
        sed -n '/^corace: explore: finding 1/,/^replay: /p' out | sed '1d;$d' >finding.txt
        grep -qx "fatal error: all goroutines are asleep - deadlock!" finding.txt || fail "$st: no runtime text"
        # Replayed, the same deadlock with the same stacks (the words of
        # the command as printed, so eval).
        eval "\"\$corace\" run $replay" >rout 2>rerr
        rc=$?
        [ "$rc" = 2 ] || { cat rerr; fail "$st: the replay 'corace run $replay' exited $rc, want 2"; }
        while IFS= read -r l; do
            grep -Fxq -- "$l" rerr || { cat rerr; fail "$st: the replay lacks the line '$l'"; }
        done <finding.txt
        # --record, then --replay of the trace: the same run again.
        eval "\"\$corace\" run --record \"\$tmp/trace\" $replay" >rout2 2>rerr2
        [ -s trace ] || fail "$st: --record wrote no trace"
        eval "\"\$corace\" run --replay \"\$tmp/trace\" $replay" >rout3 2>rerr3
        rc=$?
        [ "$rc" = 2 ] || { cat rerr3; fail "$st: --replay exited $rc, want 2"; }
        cmp -s rerr2 rerr3 || { diff rerr2 rerr3; fail "$st: --replay differs from the recorded run"; }
        rm -f trace
    done
    # A trace of another program: one line, status 1.
    "$corace" run --record "$tmp/trace" --seed 1 "$samples/next_lost_update_fixed.c" >/dev/null 2>&1
    [ -s trace ] || fail "--record wrote no trace for next_lost_update_fixed"
    run 1 run --replay "$tmp/trace" --seed 1 "$src"
    grep -q "^corace: replay $tmp/trace: " err || { cat err; fail "a foreign trace was not refused"; }
    [ "$(wc -l <err)" = 1 ] || { cat err; fail "a refused trace is more than one line"; }
    ;;
real_shard)
    command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 0; }
    cd "$tmp" || exit 1
    src=$samples/narrow_lock_order.c
    run 2 explore --keep-going --schedules 60 --format json -o whole.json "$src"
    run 2 explore --keep-going --schedules 60 --shard 0/2 --format json -o s0.json "$src"
    run 2 explore --keep-going --schedules 60 --shard 1/2 --format json -o s1.json "$src"
    cat s0.json s1.json >merged.json
    python3 - whole.json merged.json <<'EOF' || fail "shards do not add up to the whole run"
import json, sys
def load(p):
    return [json.loads(l) for l in open(p)]
whole, merged = load(sys.argv[1]), load(sys.argv[2])
ws = [l for l in whole if l["kind"] == "summary"]
ms = [l for l in merged if l["kind"] == "summary"]
assert len(ws) == 1 and len(ms) == 2, (ws, ms)
# the seeds: 1..60 once, from the two shards together
def seeds(s):
    return [s["first_seed"] + k * s["stride"] for k in range(s["schedules"])]
assert sorted(seeds(ws[0])) == list(range(1, 61)), ws
assert sorted(seeds(ms[0]) + seeds(ms[1])) == list(range(1, 61)), ms
# the same distinct findings, each found first at the same seed
def found(ls):
    best = {}
    for l in ls:
        if l["kind"] != "summary":
            best[l["id"]] = min(best.get(l["id"], 1 << 62), l["seed"])
    return best
assert found(whole) == found(merged), (found(whole), found(merged))
kinds = {l["kind"] for l in whole if l["kind"] != "summary"}
assert {"lock-order", "wait-cycle", "deadlock"} <= kinds, kinds
for l in whole:
    if l["kind"] != "summary":
        assert l["replay"].startswith("corace run --seed %d --strategy random " % l["seed"]), l
EOF
    ;;
real_exact)
    # Same binary, options and seed: byte-identical stdout and stderr,
    # addresses included (corace run turns address randomization off).
    cd "$tmp" || exit 1
    for s in next_lost_update chan_len_check_then_act narrow_lock_order; do
        "$corace" cc -O1 "$samples/$s.c" -o "$s" || fail "corace cc $s"
        for seed in $(seq 1 100); do
            case $((seed % 3)) in 0) st=entry ;; 1) st=random ;; 2) st=pct ;; esac
            "$corace" run --seed "$seed" --strategy $st "./$s" >a 2>&1
            "$corace" run --seed "$seed" --strategy $st "./$s" >b 2>&1
            cmp -s a b || { diff a b | head -20; fail "$s --seed $seed --strategy $st: two runs differ"; }
        done
    done
    ;;
*)
    fail "unknown case $case_"
    ;;
esac
echo "PASS: explore $case_"
