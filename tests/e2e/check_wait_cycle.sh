#!/usr/bin/env bash
# check_wait_cycle.sh CORACE_CLI WAIT_CYCLE_SRC LOCK_MODES_SRC ABBA_SAMPLE [SEEDS]
#
# The deadlock checker's reports, asserted on real runs (`corace run --seed S`,
# S = 1..SEEDS, default 20) of tests/e2e/checked/wait_cycle.c and lock_modes.c
# (one case per run, named by argv[1]) and of samples/abba_deadlock.c:
#   - wait-for cycles: exactly one "WARNING: DEADLOCK (wait-for cycle)" block whose
#     "holds ... and waits for ..." lines name the goroutine ids, lock addresses and
#     FILE:LINE sites the program prints and marks (/* L:name */, found with grep -n),
#     the circular-wait line, exit 66, main's return; AB-BA: the report comes after
#     main's output before the cycle and before its output after it;
#   - negative cases: exit 0, no DEADLOCK / POTENTIAL DEADLOCK line;
#   - lock order with read/write modes and the recursive RLock a writer blocks;
#   - format=dot (the wait-for digraph: one node per goroutine, the lock boxes, the
#     held-by / waits-for edges with their lines; accepted by `dot -Tsvg` when graphviz
#     is installed) and format=json (one object per line, kind and goroutine ids);
#   - the "all goroutines are asleep" dump of the AB-BA sample, then the "who holds and
#     waits for which lock" lines (ids from the dump itself, lines from the source);
#   - the dump of samples/lock_across_send.c (beside ABBA_SAMPLE): the cycle through the
#     channel, the producer holding the mutex while blocked in its send and main waiting
#     for that mutex.
set -u
corace=${1:?usage: check_wait_cycle.sh CORACE_CLI WAIT_CYCLE_SRC LOCK_MODES_SRC ABBA_SAMPLE [SEEDS]}
wc_src=${2:?}
lm_src=${3:?}
abba_src=${4:?}
seeds=${5:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
failures=0
runs=0
ctx=
shown=

fail() {
    echo "FAIL [$ctx]: $*"
    failures=$((failures + 1))
    # The output of the first failing run of each case, once.
    if [[ " $shown " != *" ${ctx%% seed*} "* ]]; then
        shown="$shown ${ctx%% seed*}"
        echo "---- output (first 120 lines)"
        head -n 120 "$out"
        echo "----"
    fi
}

# The line of the marker /* L:name */ in a source; exactly one.
mark() {
    local n
    n=$(grep -n "L:$2 \*/" "$1" | cut -d: -f1)
    if ! [[ $n =~ ^[0-9]+$ ]]; then
        echo "FATAL: marker L:$2 in $1: '$n'"
        exit 1
    fi
    echo "$n"
}

# The first line of a source that matches an awk condition inside a function.
line_in_function() {
    awk -v fn="$2" -v pat="$3" '$0 ~ "^static void " fn "\\(" { f = 1 } f && index($0, pat) { print NR; exit }' "$1"
}

# corace run --seed SEED [FLAGS...] SRC -- CASE, stdout and stderr into $out (in order).
run() {
    local src=$1 c=$2 s=$3
    shift 3
    ctx="$(basename "$src" .c) $c seed $s${*:+ $*}"
    timeout 60 "$corace" run --seed "$s" "$@" "$src" -- "$c" >"$out" 2>&1 </dev/null
    rc=$?
    runs=$((runs + 1))
}

# The id the program printed for a goroutine role ("g ROLE ID"), or "none" (then
# every assertion that names it fails).
gid() {
    local v
    v=$(sed -n "s/^g $1 \([0-9][0-9]*\)$/\1/p" "$out")
    if [[ $v =~ ^[0-9]+$ ]]; then echo "$v"; else echo none; fi
}

# The address the program printed for a lock ("lock NAME %p"), as reports print it.
addr() {
    local v
    v=$(sed -n "s/^lock $1 \(0x[0-9a-f]*\)$/\1/p" "$out")
    if [[ $v =~ ^0x[0-9a-f]+$ ]]; then printf '0x%012x\n' "$v"; else echo none; fi
}

site() { # FILE LINE: how a report line ends in FILE:LINE (any directory)
    printf '[^ ]*/%s:%s' "$(basename "$1" | sed 's/\./\\./g')" "$2"
}

expect_rc() {
    [ "$rc" -eq "$1" ] || fail "exit status $rc, want $1"
}

count_x() { # the number of lines equal to $1
    grep -cxF -- "$1" "$out"
}

# The wait-for block: the lines after its header up to the closing separator.
wait_block() {
    awk '$0 == "WARNING: DEADLOCK (wait-for cycle)" { p = 1; next } p && /^==================$/ { exit } p' "$out" >"$tmp/block"
}

# goroutine G holds TYPE ADDR (MODE at SITE) and waits for TYPE ADDR (OP) at SITE
want_step() {
    local g=$1 ht=$2 ha=$3 hm=$4 hl=$5 wt=$6 wa=$7 wm=$8 wl=$9 re
    re="^goroutine $g holds $ht $ha \\($hm at $(site "$wc_src" "$hl")\\) and waits for $wt $wa \\($wm\\) at $(site "$wc_src" "$wl")\$"
    grep -qE -- "$re" "$tmp/block" || fail "no step line matching: $re"
}

# goroutine G waits for TYPE ADDR (Lock) at SITE, and new readers queue behind it
want_pending_step() {
    local re
    re="^goroutine $1 waits for $2 $3 \\(Lock\\) at $(site "$wc_src" "$4"), and new readers queue behind it\$"
    grep -qE -- "$re" "$tmp/block" || fail "no pending-writer line matching: $re"
}

# The circular-wait line for goroutines given in waiting order (each waits for the
# next), read from the lowest id as the report does.
want_circle() {
    local ids=("$@") n=$# first=0 i s=
    for ((i = 1; i < n; i++)); do
        [ "${ids[i]}" -lt "${ids[first]}" ] && first=$i
    done
    for ((i = 0; i <= n; i++)); do
        s+="${s:+ -> }goroutine ${ids[(first + i) % n]}"
    done
    grep -qxF -- "  circular wait:    $s" "$tmp/block" || fail "no line '  circular wait:    $s'"
}

# Common to every positive wait-for case: exit 66, one wait-for report of NSTEPS
# lines, main returned.
positive() {
    local c=$1 nsteps=$2 n
    expect_rc 66
    n=$(count_x 'WARNING: DEADLOCK (wait-for cycle)')
    [ "$n" -eq 1 ] || fail "$n wait-for cycle reports, want 1"
    grep -q '^fatal error' "$out" && fail "a fatal error"
    grep -qx "ok $c" "$out" || fail "main did not return (no 'ok $c')"
    wait_block
    n=$(grep -cE '^goroutine [0-9]+ (holds|waits for) ' "$tmp/block")
    [ "$n" -eq "$nsteps" ] || fail "$n holds/waits lines, want $nsteps"
}

negative() {
    local c=$1
    expect_rc 0
    grep -qE 'WARNING: (POTENTIAL )?DEADLOCK' "$out" && fail "a deadlock report in a negative case"
    grep -q '^fatal error' "$out" && fail "a fatal error"
    grep -qx "ok $c" "$out" || fail "main did not return (no 'ok $c')"
}

# SECTION_HEADER ASK_LINE LINE1 LINE2: in the block that opens with the header line
# (up to a blank line), a stack line at LINE1, then the ask line, then LINE2.
lo_section() {
    local hdr=$1 ask=$2 l1=$3 l2=$4 n1 na n2
    awk -v h="$hdr" '$0 == h { p = 1 } p && /^$/ { exit } p' "$out" >"$tmp/sec"
    if [ ! -s "$tmp/sec" ]; then
        fail "no section '$hdr'"
        return
    fi
    n1=$(grep -nE -- "$(site "$lm_src" "$l1")( |\$)" "$tmp/sec" | head -n 1 | cut -d: -f1)
    if [ -z "$ask" ]; then
        [ -n "$n1" ] || fail "section '$hdr': no stack line at line $l1"
        return
    fi
    na=$(grep -nxF -- "$ask" "$tmp/sec" | head -n 1 | cut -d: -f1)
    n2=$(grep -nE -- "$(site "$lm_src" "$l2")( |\$)" "$tmp/sec" | cut -d: -f1 | awk -v a="${na:-0}" '$1 > a { print; exit }')
    if [ -z "$n1" ] || [ -z "$na" ] || [ -z "$n2" ] || [ "$n1" -ge "$na" ]; then
        fail "section '$hdr': want a stack line at $l1, then '$ask', then a stack line at $l2"
    fi
}

# ---- wait-for cycles: positive ------------------------------------------------------
declare -A L
for m in abba_ab_a abba_ab_b abba_ba_b abba_ba_a three_first three_second relock_1 relock_2 \
    rlock_w_1 rlock_w_2 lock_r_1 lock_r_2 pending_r1 pending_r2 pending_w rwm_w_m rwm_w_rw \
    rwm_r_rw rwm_r_m; do
    L[$m]=$(mark "$wc_src" "$m") || exit 1
done
for m in rw_ra rw_wb rw_b rw_a rr_1 rr_2 rr_w; do
    L[$m]=$(mark "$lm_src" "$m") || exit 1
done

check_abba_text() {
    local ga gb A B b h a
    ga=$(gid ab) gb=$(gid ba) A=$(addr a) B=$(addr b)
    positive abba 2
    want_step "$ga" mutex "$A" locked "${L[abba_ab_a]}" mutex "$B" Lock "${L[abba_ab_b]}"
    want_step "$gb" mutex "$B" locked "${L[abba_ba_b]}" mutex "$A" Lock "${L[abba_ba_a]}"
    want_circle "$ga" "$gb"
    # Reported the moment the cycle closed, while main still ran.
    b=$(grep -nx 'main: before' "$out" | cut -d: -f1)
    h=$(grep -nxF 'WARNING: DEADLOCK (wait-for cycle)' "$out" | head -n 1 | cut -d: -f1)
    a=$(grep -n '^main: after [0-9]*$' "$out" | cut -d: -f1)
    if [ -z "$b" ] || [ -z "$h" ] || [ -z "$a" ] || [ "$b" -ge "$h" ] || [ "$h" -ge "$a" ]; then
        fail "want 'main: before' < report < 'main: after', got lines '$b' '$h' '$a'"
    fi
}

for seed in $(seq 1 "$seeds"); do
    run "$wc_src" abba "$seed"
    check_abba_text

    run "$wc_src" three "$seed"
    positive three 3
    gs=() ring=()
    for i in 0 1 2; do gs[i]=$(gid "p$i") ring[i]=$(addr "r$i"); done
    for i in 0 1 2; do
        want_step "${gs[i]}" mutex "${ring[i]}" locked "${L[three_first]}" mutex "${ring[(i + 1) % 3]}" Lock "${L[three_second]}"
    done
    want_circle "${gs[0]}" "${gs[1]}" "${gs[2]}"

    run "$wc_src" relock "$seed"
    positive relock 1
    x=$(gid x) A=$(addr a)
    want_step "$x" mutex "$A" locked "${L[relock_1]}" mutex "$A" Lock "${L[relock_2]}"
    want_circle "$x"

    run "$wc_src" rlock_w "$seed"
    positive rlock_w 1
    x=$(gid x) RW=$(addr rw)
    want_step "$x" rwmutex "$RW" locked "${L[rlock_w_1]}" rwmutex "$RW" RLock "${L[rlock_w_2]}"
    want_circle "$x"

    run "$wc_src" lock_r "$seed"
    positive lock_r 1
    x=$(gid x) RW=$(addr rw)
    want_step "$x" rwmutex "$RW" read-locked "${L[lock_r_1]}" rwmutex "$RW" Lock "${L[lock_r_2]}"
    want_circle "$x"

    run "$wc_src" pending "$seed"
    positive pending 2
    r=$(gid r) w=$(gid w) RW=$(addr rw)
    want_step "$r" rwmutex "$RW" read-locked "${L[pending_r1]}" rwmutex "$RW" RLock "${L[pending_r2]}"
    want_pending_step "$w" rwmutex "$RW" "${L[pending_w]}"
    want_circle "$r" "$w"

    run "$wc_src" rw_mutex "$seed"
    positive rw_mutex 2
    w=$(gid w) r=$(gid r) M=$(addr m) RW=$(addr rw)
    want_step "$w" mutex "$M" locked "${L[rwm_w_m]}" rwmutex "$RW" Lock "${L[rwm_w_rw]}"
    want_step "$r" rwmutex "$RW" read-locked "${L[rwm_r_rw]}" mutex "$M" Lock "${L[rwm_r_m]}"
    want_circle "$w" "$r"

    # ---- wait-for cycles: negative ----------------------------------------------------
    for c in order reread handoff trylock timer rr_cross semaphore; do
        run "$wc_src" "$c" "$seed"
        negative "$c"
    done
    run "$wc_src" trylock "$seed"
    grep -q 'trylock succeeded' "$out" && fail "the TryLock did not fail: the case tests nothing"

    # ---- lock order with read/write modes -----------------------------------------------
    lo_header='WARNING: POTENTIAL DEADLOCK (lock-order inversion)'

    run "$lm_src" rw_w "$seed"
    expect_rc 66
    g1=$(gid first) g2=$(gid second) A=$(addr a) B=$(addr b)
    n=$(count_x "$lo_header")
    [ "$n" -eq 1 ] || fail "$n lock-order reports, want 1"
    grep -qE "^2 locks are taken in a cycle: ($A -> $B -> $A|$B -> $A -> $B)\$" "$out" ||
        fail "no '2 locks are taken in a cycle' line over $A and $B"
    lo_section "goroutine $g1 took rwmutex $A (read):" "and then asked for mutex $B:" "${L[rw_ra]}" "${L[rw_wb]}"
    lo_section "goroutine $g2 took mutex $B:" "and then asked for rwmutex $A:" "${L[rw_b]}" "${L[rw_a]}"
    grep -qx 'ok rw_w' "$out" || fail "the program did not finish"
    grep -q 'WARNING: DEADLOCK' "$out" && fail "a wait-for cycle in a run that does not hang"

    for c in reread_writer writer_reread; do
        run "$lm_src" "$c" "$seed"
        expect_rc 66
        r=$(gid reader) w=$(gid writer) A=$(addr a)
        n=$(count_x "$lo_header")
        [ "$n" -eq 1 ] || fail "$n lock-order reports, want 1"
        grep -qxF "goroutine $r read-locks rwmutex $A while it holds it for reading, and goroutine $w write-locks it:" "$out" ||
            fail "no 'goroutine $r read-locks rwmutex $A ... goroutine $w write-locks it:' line"
        lo_section "goroutine $r took rwmutex $A (read):" "and then asked for it again (read):" "${L[rr_1]}" "${L[rr_2]}"
        lo_section "goroutine $w asked for it (write):" "" "${L[rr_w]}" ""
        grep -qx "ok $c" "$out" || fail "the program did not finish"
    done

    for c in rw_r reread_only; do
        run "$lm_src" "$c" "$seed"
        negative "$c"
    done

    # ---- format=dot ---------------------------------------------------------------------
    # The graph on the log stream (here a log file: -o), the text on stderr.
    rm -f "$tmp"/log.*
    run "$wc_src" abba "$seed" --format dot -o "$tmp/log"
    expect_rc 66
    ga=$(gid ab) gb=$(gid ba) A=$(addr a) B=$(addr b)
    n=$(count_x 'WARNING: DEADLOCK (wait-for cycle)')
    [ "$n" -eq 1 ] || fail "format=dot: $n text wait-for reports on stderr, want 1"
    logs=("$tmp"/log.*)
    if [ "${#logs[@]}" -ne 1 ] || [ ! -f "${logs[0]}" ]; then
        fail "format=dot -o: want one log file $tmp/log.PID, got: ${logs[*]}"
    else
        n=$(grep -cxF 'digraph "wait-for cycle" {' "${logs[0]}")
        [ "$n" -eq 1 ] || fail "format=dot: $n wait-for digraphs in the log, want 1"
        awk '$0 == "digraph \"wait-for cycle\" {" { p = 1 } p { print } p && $0 == "}" { exit }' "${logs[0]}" >"$tmp/g.dot"
        n=$(grep -c 'shape=ellipse' "$tmp/g.dot")
        [ "$n" -eq 2 ] || fail "format=dot: $n goroutine nodes, want 2"
        for g in "$ga" "$gb"; do
            n=$(grep -cxF "  \"g${g}_0\" [shape=ellipse, label=\"goroutine $g\"];" "$tmp/g.dot")
            [ "$n" -eq 1 ] || fail "format=dot: $n nodes for goroutine $g, want 1"
        done
        la=l$(printf '%x' "$A") lb=l$(printf '%x' "$B")
        boxes=$(sed -n 's/^  "\(l[0-9a-f]*\)" \[shape=box, label="mutex\\n0x[0-9a-f]*"\];$/\1/p' "$tmp/g.dot" | sort -u | tr '\n' ' ')
        want=$(printf '%s\n' "$la" "$lb" | sort -u | tr '\n' ' ')
        [ "$boxes" = "$want" ] || fail "format=dot: lock boxes '$boxes', want '$want'"
        for e in "\"$la\" -> \"g${ga}_0\" \\[label=\"held by \\(write\\)\\\\n$(site "$wc_src" "${L[abba_ab_a]}")\"\\];" \
            "\"g${ga}_0\" -> \"$lb\" \\[label=\"waits for \\(write\\)\\\\n$(site "$wc_src" "${L[abba_ab_b]}")\", color=red\\];" \
            "\"$lb\" -> \"g${gb}_0\" \\[label=\"held by \\(write\\)\\\\n$(site "$wc_src" "${L[abba_ba_b]}")\"\\];" \
            "\"g${gb}_0\" -> \"$la\" \\[label=\"waits for \\(write\\)\\\\n$(site "$wc_src" "${L[abba_ba_a]}")\", color=red\\];"; do
            grep -qE -- "^  $e\$" "$tmp/g.dot" || fail "format=dot: no edge matching: $e"
        done
        if command -v dot >/dev/null 2>&1; then
            dot -Tsvg "${logs[0]}" >"$tmp/g.svg" 2>"$tmp/dot.err" || fail "dot -Tsvg rejects the log: $(cat "$tmp/dot.err")"
            grep -q '<svg' "$tmp/g.svg" || fail "dot -Tsvg wrote no SVG"
        fi
    fi
    # Without a log file the graph goes to stderr, in place of the text.
    run "$wc_src" abba "$seed" --format dot
    expect_rc 66
    n=$(count_x 'digraph "wait-for cycle" {')
    [ "$n" -eq 1 ] || fail "format=dot on stderr: $n wait-for digraphs, want 1"

    # ---- format=json --------------------------------------------------------------------
    for c in abba pending; do
        run "$wc_src" "$c" "$seed" --format json
        expect_rc 66
        if [ "$c" = abba ]; then
            spec="wait-cycle:$(gid ab),$(gid ba) lock-order:$(gid ab),$(gid ba)"
            locks="$(addr a) $(addr b)"
            pending=-
        else
            spec="wait-cycle:$(gid r),$(gid w) recursive-read:$(gid r),$(gid w)"
            locks="$(addr rw)"
            pending=$(gid w)
        fi
        msg=$(python3 - "$out" "$spec" "$locks" "$pending" <<'EOF'
import json, sys
path, spec, locks, pending = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(), sys.argv[4]
objs, errs = [], []
for n, line in enumerate(open(path), 1):
    if line.startswith("{"):
        try:
            objs.append(json.loads(line))
        except ValueError as e:
            errs.append("line %d is not JSON: %s" % (n, e))
kinds = sorted(o.get("kind") for o in objs if o.get("kind") in ("wait-cycle", "lock-order", "recursive-read"))
want_kinds = sorted(s.split(":")[0] for s in spec)
if kinds != want_kinds:
    errs.append("kinds %s, want %s" % (kinds, want_kinds))
for s in spec:
    kind, ids = s.split(":")
    try:
        ids = sorted(int(i) for i in ids.split(","))
    except ValueError:
        errs.append("%s: the program printed no goroutine ids" % kind)
        continue
    for o in objs:
        if o.get("kind") != kind:
            continue
        got = sorted(st["goroutine"] for st in o["steps"])
        if got != ids:
            errs.append("%s: goroutines %s, want %s" % (kind, got, ids))
        addrs = {st[k]["addr"] for st in o["steps"] for k in ("holds", "wants") if k in st}
        if addrs != set(locks):
            errs.append("%s: lock addresses %s, want %s" % (kind, sorted(addrs), sorted(locks)))
        if kind == "wait-cycle":
            if o["steps"][0]["goroutine"] != min(ids):
                errs.append("wait-cycle: does not start from the lowest id")
            pend = [st["goroutine"] for st in o["steps"] if st["pending"]]
            want_pend = [] if pending == "-" else [int(pending) if pending.isdigit() else pending]
            if pend != want_pend:
                errs.append("wait-cycle: pending steps %s, want %s" % (pend, want_pend))
            for st in o["steps"]:
                if st["pending"] and "holds" in st:
                    errs.append("wait-cycle: the pending writer %d 'holds' the lock" % st["goroutine"])
print("; ".join(errs))
EOF
        )
        [ -z "$msg" ] || fail "format=json: $msg"
    done

    # ---- the global deadlock dump of the AB-BA sample --------------------------------------
    ctx="abba_deadlock seed $seed"
    timeout 60 "$corace" run --seed "$seed" "$abba_src" >"$out" 2>&1 </dev/null
    rc=$?
    runs=$((runs + 1))
    expect_rc 2
    grep -qxF 'fatal error: all goroutines are asleep - deadlock!' "$out" || fail "no global deadlock"
    # Ids from Go's dump: the goroutine blocked in sum_ab and the one in sum_ba.
    gab=$(awk '/^goroutine [0-9]+ \[/ { g = $2 } $0 == "sum_ab()" { print g; exit }' "$out")
    gba=$(awk '/^goroutine [0-9]+ \[/ { g = $2 } $0 == "sum_ba()" { print g; exit }' "$out")
    la=$(line_in_function "$abba_src" sum_ab 'co_mutex_lock(&a);')
    lb=$(line_in_function "$abba_src" sum_ba 'co_mutex_lock(&b);')
    awk '$0 == "corace: who holds and waits for which lock:" { p = 1; next } p' "$out" >"$tmp/who"
    if [ -z "$gab" ] || [ -z "$gba" ] || [ -z "$la" ] || [ -z "$lb" ] || [ ! -s "$tmp/who" ]; then
        fail "no dump ids ('$gab' '$gba'), source lines ('$la' '$lb') or who-holds lines"
    else
        n=$(grep -c . "$tmp/who")
        [ "$n" -eq 4 ] || fail "$n who-holds lines, want 4"
        A=$(sed -n "s|^goroutine $gab holds mutex \(0x[0-9a-f]*\) (locked at $(site "$abba_src" "$la"))\$|\1|p" "$tmp/who")
        B=$(sed -n "s|^goroutine $gba holds mutex \(0x[0-9a-f]*\) (locked at $(site "$abba_src" "$lb"))\$|\1|p" "$tmp/who")
        [ -n "$A" ] || fail "no 'goroutine $gab holds mutex ... (locked at ...:$la)'"
        [ -n "$B" ] || fail "no 'goroutine $gba holds mutex ... (locked at ...:$lb)'"
        [ -n "$A" ] && [ "$A" = "$B" ] && fail "both goroutines hold the same mutex $A"
        grep -qE "^goroutine $gab waits for mutex $B, held by goroutine $gba \\(locked at $(site "$abba_src" "$lb")\\)\$" "$tmp/who" ||
            fail "no 'goroutine $gab waits for mutex $B, held by goroutine $gba (locked at ...:$lb)'"
        grep -qE "^goroutine $gba waits for mutex $A, held by goroutine $gab \\(locked at $(site "$abba_src" "$la")\\)\$" "$tmp/who" ||
            fail "no 'goroutine $gba waits for mutex $A, held by goroutine $gab (locked at ...:$la)'"
    fi

    # ---- a cycle through a channel: lock_across_send's dump --------------------------------
    las_src=$(dirname "$abba_src")/lock_across_send.c
    ctx="lock_across_send seed $seed"
    timeout 60 "$corace" run --seed "$seed" "$las_src" >"$out" 2>&1 </dev/null
    rc=$?
    runs=$((runs + 1))
    expect_rc 2
    gp=$(awk '/^goroutine [0-9]+ \[/ { g = $2 } $0 == "producer()" { print g; exit }' "$out")
    lp=$(line_in_function "$las_src" producer 'co_mutex_lock(&mu);')
    lm=$(grep -n 'co_mutex_lock(&mu); /\* blocks forever' "$las_src" | cut -d: -f1)
    awk '$0 == "corace: a cycle through a channel:" { p = 1; next } p' "$out" >"$tmp/chan"
    if [ -z "$gp" ] || [ -z "$lp" ] || [ -z "$lm" ] || [ ! -s "$tmp/chan" ]; then
        fail "no producer id ('$gp'), source lines ('$lp' '$lm') or channel-cycle lines"
    else
        M=$(sed -n "s|^goroutine $gp holds mutex \(0x[0-9a-f]*\) (locked at $(site "$las_src" "$lp")) and is blocked in chan send on channel 0x[0-9a-f]*\$|\1|p" "$tmp/chan")
        [ -n "$M" ] || fail "no 'goroutine $gp holds mutex ... (locked at ...:$lp) and is blocked in chan send ...'"
        grep -qE "^goroutine 1 waits for mutex $M at $(site "$las_src" "$lm"), and is (the only other|a) goroutine that can reach that channel: the partner goroutine $gp waits for cannot come\$" "$tmp/chan" ||
            fail "no 'goroutine 1 waits for mutex $M at ...:$lm, and ... can reach that channel'"
    fi
done

echo "$runs runs, $failures failed"
[ "$failures" -eq 0 ]
