# shellcheck shell=bash disable=SC2034  # sets variables for the script that sources it
# variants.sh - sourced by the check_*.sh scripts that build one checked
# program twice: `variants CORACE SOURCE NAME1 FLAGS1 NAME2 FLAGS2` builds
# $tmp/NAME1 and $tmp/NAME2 with `corace cc -O1 FLAGS SOURCE` (FLAGS may be
# empty) in a temporary directory removed at exit, and sets corace, src,
# tmp, fail=0 and line NAME (the line of a "LINE:NAME" marker in SOURCE).
variants() {
    corace=$1
    src=$2
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    fail=0
    # shellcheck disable=SC2086  # FLAGS are words
    "$corace" cc -O1 $4 "$src" -o "$tmp/$3" || exit 1
    # shellcheck disable=SC2086
    "$corace" cc -O1 $6 "$src" -o "$tmp/$5" || exit 1
}
line() { grep -n "LINE:$1 " "$src" | cut -d: -f1; }
