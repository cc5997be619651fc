#!/usr/bin/env bash
# check_report.sh BINARY SOURCE
#
# Runs one tests/e2e/deadlock_report program (CO_SEED=1, timeout 20 s) and
# checks its stdout, stderr and exit status against the expect-* lines in
# its leading comment.  Source lines are never hard-coded: the blocking
# call is marked `/* LINE:<name> */`, the co_go call `/* GO:<name> */`, and
# the script finds their numbers with grep -n.  Goroutine ids come from the
# program itself: it prints "G <tag> <id>" on stdout (tag main = 1).
#
#   expect-exit: N                  exit status
#   expect-first-line: TEXT         stderr's first line, exactly; line 2 blank
#   expect-stderr: TEXT             stderr contains TEXT (fixed string)
#   expect-no-stderr: TEXT          stderr does not contain TEXT
#   expect-stderr-line: N | ERE     stderr line N matches ERE; @name in the
#                                   ERE becomes the LINE:name line number
#   expect-goroutines: N            number of "goroutine N [...]:" headers
#   expect-goroutine: TAG | REASON | FUNC | MARK | CFUNC | CTAG | GOMARK
#       the header "goroutine <id(TAG)> [REASON]:" exists, and in its block:
#       a frame line "FUNC(" directly followed by a line with FILE:<MARK line>;
#       unless CFUNC is "-": "created by CFUNC in goroutine <id(CTAG)>"
#       directly followed by a line with FILE:<GOMARK line>
#   expect-frame: TAG | FUNC | MARK another frame in TAG's block
#   expect-stdout: TEXT             stdout, minus the "G " lines, is exactly
#                                   the expect-stdout lines, in order
set -u

bin=${1:?usage: check_report.sh BINARY SOURCE}
src=${2:?usage: check_report.sh BINARY SOURCE}
name=$(basename "$src" .c)
file=$(basename "$src")
failures=0
fail() {
    echo "FAIL [$name]: $*"
    failures=$((failures + 1))
}
trim() {
    local s=$1
    s=${s#"${s%%[![:space:]]*}"}
    s=${s%"${s##*[![:space:]]}"}
    printf '%s' "$s"
}
# directive NAME: the values of all " * NAME: value" / "// NAME: value" lines
directive() {
    sed -n -E "s@^[[:space:]]*(\*|//)[[:space:]]*$1:[[:space:]]?(.*)\$@\2@p" "$src"
}
# marker_line KIND NAME: the line number of the one /* KIND:NAME */ marker
marker_line() {
    local hits
    hits=$(grep -nF "/* $1:$2 */" "$src" | cut -d: -f1)
    if [ -z "$hits" ] || [ "$(wc -l <<<"$hits")" -ne 1 ]; then
        echo "BAD"
        return
    fi
    echo "$hits"
}
ere_escape() { sed 's/[][\.*^$+?(){}|/]/\\&/g' <<<"$1"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2086 # the emulator is a command with arguments
CO_SEED=1 timeout 20 ${CORACE_TEST_EMULATOR:-} "$bin" >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
echo "== $name: exit status $rc"
[ "$rc" -ne 124 ] || fail "timed out after 20 s"

# ---- goroutine ids from stdout ----------------------------------------------------
declare -A gid=([main]=1)
while read -r _ tag id; do
    gid[$tag]=$id
done < <(grep -E '^G [A-Za-z0-9_]+ [0-9]+$' "$tmp/out")
id_of() {
    if [ -n "${gid[$1]:-}" ]; then echo "${gid[$1]}"; else echo "?"; fi
}

# block ID: the lines of goroutine ID's section of stderr
block() {
    awk -v id="$1" '
        /^goroutine [0-9]+ \[/ { inb = ($2 == id); if (inb) print; next }
        /^$/ { inb = 0 }
        inb { print }' "$tmp/err"
}
# has_frame BLOCKFILE HEADER_ERE LINE: a line matching HEADER_ERE directly
# followed by a line holding FILE:LINE (not followed by another digit)
has_frame() {
    # the EREs go through the environment: awk -v would eat their backslashes
    HRE="$2" FRE="$(ere_escape "$file"):$3([^0-9]|\$)" awk '
        prev && $0 ~ ENVIRON["FRE"] { found = 1 }
        { prev = ($0 ~ ENVIRON["HRE"]) }
        END { exit !found }' "$1"
}

# ---- exit status, first line, plain stderr checks ------------------------------------
want_exit=$(directive expect-exit | head -n 1)
if [ -n "$want_exit" ] && [ "$rc" -ne "$want_exit" ]; then
    fail "want exit status $want_exit, got $rc"
fi
first=$(directive expect-first-line | head -n 1)
if [ -n "$first" ]; then
    got=$(sed -n 1p "$tmp/err")
    [ "$got" = "$first" ] || fail "stderr line 1: want '$first', got '$got'"
    got2=$(sed -n 2p "$tmp/err")
    # A fatal signal's name is followed by Go's "PC=... m=0 sigcode=..." line
    # (checked by the test's expect-stderr-line); a message by a blank line.
    if [[ $first != SIG*:* ]]; then
        [ -z "$got2" ] || fail "stderr line 2 should be blank (as in Go), got '$got2'"
    fi
fi
while IFS= read -r t; do
    [ -n "$t" ] || continue
    grep -qF -- "$t" "$tmp/err" || fail "stderr lacks '$t'"
done < <(directive expect-stderr)
while IFS= read -r t; do
    [ -n "$t" ] || continue
    ! grep -qF -- "$t" "$tmp/err" || fail "stderr unexpectedly contains '$t'"
done < <(directive expect-no-stderr)
while IFS='|' read -r n re; do
    n=$(trim "$n")
    re=$(trim "$re")
    [ -n "$n" ] || continue
    while [[ $re =~ @([A-Za-z0-9_]+) ]]; do
        m=${BASH_REMATCH[1]}
        re=${re//@$m/$(marker_line LINE "$m")}
    done
    got=$(sed -n "${n}p" "$tmp/err")
    grep -qE -- "$re" <<<"$got" || fail "stderr line $n: want /$re/, got '$got'"
done < <(directive expect-stderr-line)

# ---- goroutine sections -------------------------------------------------------
want_count=$(directive expect-goroutines | head -n 1)
if [ -n "$want_count" ]; then
    got_count=$(grep -cE '^goroutine [0-9]+ \[' "$tmp/err")
    [ "$got_count" -eq "$want_count" ] || fail "want $want_count goroutine sections, got $got_count"
fi
while IFS='|' read -r tag reason func mark cfunc ctag gomark; do
    tag=$(trim "$tag"); reason=$(trim "$reason"); func=$(trim "$func")
    mark=$(trim "$mark"); cfunc=$(trim "$cfunc"); ctag=$(trim "$ctag"); gomark=$(trim "$gomark")
    [ -n "$tag" ] || continue
    id=$(id_of "$tag")
    if [ "$id" = "?" ]; then
        fail "no 'G $tag <id>' line on stdout"
        continue
    fi
    header="goroutine $id [$reason]:"
    if ! grep -qxF "$header" "$tmp/err"; then
        fail "$tag: no header '$header' (got: $(grep -E "^goroutine $id \[" "$tmp/err" | head -n 1))"
        continue
    fi
    block "$id" >"$tmp/block"
    line=$(marker_line LINE "$mark")
    if [ "$line" = BAD ]; then
        fail "$tag: marker /* LINE:$mark */ missing or not unique in $file"
    elif ! has_frame "$tmp/block" "^$func\\(" "$line"; then
        fail "$tag: no frame '$func(' followed by '$file:$line' under '$header'"
    fi
    if [ "$cfunc" != "-" ]; then
        cid=$(id_of "$ctag")
        created="created by $cfunc in goroutine $cid"
        if ! grep -qxF "$created" "$tmp/block"; then
            fail "$tag: no '$created' under '$header' (got: $(grep '^created by' "$tmp/block"))"
        elif [ -n "$gomark" ] && [ "$gomark" != "-" ]; then
            gline=$(marker_line GO "$gomark")
            if [ "$gline" = BAD ]; then
                fail "$tag: marker /* GO:$gomark */ missing or not unique"
            elif ! has_frame "$tmp/block" "^$(ere_escape "$created")\$" "$gline"; then
                fail "$tag: '$created' not followed by '$file:$gline'"
            fi
        fi
    elif grep -q '^created by' "$tmp/block"; then
        fail "$tag: unexpected 'created by' line for $tag"
    fi
done < <(directive expect-goroutine)
while IFS='|' read -r tag func mark; do
    tag=$(trim "$tag"); func=$(trim "$func"); mark=$(trim "$mark")
    [ -n "$tag" ] || continue
    id=$(id_of "$tag")
    block "$id" >"$tmp/block"
    line=$(marker_line LINE "$mark")
    if [ "$line" = BAD ]; then
        fail "$tag: marker /* LINE:$mark */ missing or not unique in $file"
    elif ! has_frame "$tmp/block" "^$func\\(" "$line"; then
        fail "$tag: no frame '$func(' followed by '$file:$line' in goroutine $id's trace"
    fi
done < <(directive expect-frame)

# ---- stdout ---------------------------------------------------------------------
directive expect-stdout >"$tmp/want_out"
if [ -s "$tmp/want_out" ]; then
    grep -vE '^G [A-Za-z0-9_]+ [0-9]+$' "$tmp/out" >"$tmp/got_out"
    if ! cmp -s "$tmp/want_out" "$tmp/got_out"; then
        fail "stdout differs (want, then got):"
        diff "$tmp/want_out" "$tmp/got_out" | head -n 20
    fi
fi

if [ "$failures" -ne 0 ]; then
    echo "---- stdout (first 30 lines)"
    head -n 30 "$tmp/out"
    echo "---- stderr (first 120 lines)"
    head -n 120 "$tmp/err"
    echo "----"
    exit 1
fi
echo "PASS [$name]"
