#!/usr/bin/env bash
# check_partial.sh CORACE DIR
# Partial deadlocks under the checker, over seeds 1..20 each:
#  - partial_positive.c: six goroutines blocked for good (channel receive,
#    WaitGroup, Cond, select, nil channel, channel send) while main goes on:
#    each reported once, with its id, wait reason and blocked line, as text
#    and as JSON; exit 66;
#  - partial_negative.c: waits that something live (a global, a heap box or
#    a stack of a live goroutine, a timer, a later goroutine, a hand-off)
#    can still end: no report, exit 0;
#  - partial_global.c: everyone blocked: the global deadlock alone, exit 2.
set -u
corace=$1
dir=$2
fail=0
seeds=$(seq 1 20)

line() { grep -n "LINE:$2 " "$dir/$1" | cut -d: -f1; }
bad() { echo "FAIL: seed $1: $2"; fail=1; }

pos=partial_positive.c
# goroutine id, wait reason as printed, LINE marker
cases=(
    "3|chan receive 0x|recv"
    "6|sync.WaitGroup.Wait 0x|wg"
    "9|sync.Cond.Wait 0x|cond"
    "12|select over 0x|select"
    "15|chan receive (nil chan): a nil channel is never ready|nil"
    "17|chan send 0x|send"
)
for s in $seeds; do
    err=$("$corace" run --seed "$s" "$dir/$pos" 2>&1 >/dev/null)
    rc=$?
    [ "$rc" -eq 66 ] || bad "$s" "$pos: exit status $rc, want 66"
    n=$(grep -c "is blocked forever on" <<<"$err")
    [ "$n" -eq 6 ] || bad "$s" "$pos: $n goroutines reported, want 6 (each once)"
    for c in "${cases[@]}"; do
        IFS='|' read -r id what mark <<<"$c"
        grep -qF "goroutine $id is blocked forever on $what" <<<"$err" ||
            bad "$s" "$pos: missing: goroutine $id is blocked forever on $what"
        # The goroutine's trace in the partial report (before the leak
        # report) names the blocked line.
        partial=$(sed '/WARNING: GOROUTINE LEAK/,$d' <<<"$err")
        grep -A3 "^goroutine $id \[" <<<"$partial" | grep -qF "$pos:$(line $pos "$mark") " ||
            bad "$s" "$pos: goroutine $id's trace lacks $pos:$(line $pos "$mark")"
    done
    grep -q "is blocked forever" <<<"$(grep -E "^goroutine (1|2|4|5|7|8|10|11|13|14|16|18) is" <<<"$err")" &&
        bad "$s" "$pos: a goroutine that finished or still runs was reported"
    grep -qF "6 goroutines still blocked when main returned" <<<"$err" ||
        bad "$s" "$pos: the leak report at exit should still list the six"
    [ "$fail" -eq 0 ] || { echo "---- stderr"; echo "$err"; exit 1; }
done

# JSON Lines: one object per finding, with the blocked line in its stack.
out=$(CORACE_OPTIONS=format=json "$corace" run --seed 1 "$dir/$pos" 2>&1 >/dev/null)
n=$(grep -c '"kind":"partial-deadlock"' <<<"$out")
[ "$n" -eq 6 ] || bad 1 "json: $n partial-deadlock records, want 6"
rec=$(grep '"kind":"partial-deadlock","goroutine":3,' <<<"$out")
grep -qF '"waitreason":"chan receive","objects":["0x' <<<"$rec" || bad 1 "json: goroutine 3's wait reason or object"
grep -qE "\"function\":\"recv_worker\",\"file\":\"[^\"]*$pos\",\"line\":$(line $pos recv)," <<<"$rec" ||
    bad 1 "json: goroutine 3's stack lacks recv_worker at line $(line $pos recv)"
grep -qF '"created_by":2' <<<"$rec" || bad 1 "json: goroutine 3's creator"
[ "$fail" -eq 0 ] || { echo "---- stderr"; echo "$out"; exit 1; }

neg=partial_negative.c
for s in $seeds; do
    all=$("$corace" run --seed "$s" "$dir/$neg" 2>&1)
    rc=$?
    [ "$rc" -eq 0 ] || bad "$s" "$neg: exit status $rc, want 0"
    grep -q "PARTIAL DEADLOCK" <<<"$all" && bad "$s" "$neg: a partial deadlock was reported"
    grep -qF "main done: 3, 1 goroutine(s) left" <<<"$all" || bad "$s" "$neg: did not finish its work"
    [ "$fail" -eq 0 ] || { echo "---- output"; echo "$all"; exit 1; }
done

glob=partial_global.c
for s in $seeds; do
    err=$("$corace" run --seed "$s" "$dir/$glob" 2>&1 >/dev/null)
    rc=$?
    [ "$rc" -eq 2 ] || bad "$s" "$glob: exit status $rc, want 2"
    [ "$(head -1 <<<"$err")" = "fatal error: all goroutines are asleep - deadlock!" ] ||
        bad "$s" "$glob: the global deadlock should be all that is said"
    grep -q "PARTIAL DEADLOCK" <<<"$err" && bad "$s" "$glob: a partial deadlock was reported"
    [ "$fail" -eq 0 ] || { echo "---- stderr"; echo "$err"; exit 1; }
done
exit "$fail"
