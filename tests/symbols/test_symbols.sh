#!/usr/bin/env bash
# test_symbols.sh CC CORACE LIBDIR NAMES_FILE...
# The installed libraries show the program only co_*, __tsan_* and __wrap_*
# names (docs/libraries.md).  Links clash.c, which defines `ev`,
# `fatal_panic` and `sched_park` itself, and a generated file that defines
# every other name the runtime and the checker have inside (the jansson the
# checker bundles included), against
# libcorace.a, libcorace.so and (through corace cc) libcorace_race.a, and
# runs each program.  NAMES_FILE lists the internal objects whose global
# names are collected.
set -euo pipefail
cc=$1
corace=$2
libdir=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

public='^(co_|CO_|__tsan_|__wrap_)'

# 1. Nothing else global in what a program links.
for lib in "$libdir/libcorace.a" "$libdir/libcorace_race.a"; do
    [ -f "$lib" ] || continue
    extra=$(nm -g --defined-only "$lib" | awk 'NF == 3 { print $3 }' | grep -Ev "$public" || true)
    if [ -n "$extra" ]; then
        echo "symbols: $(basename "$lib") has $(echo "$extra" | wc -l) global names outside co_/__tsan_/__wrap_:" >&2
        echo "$extra" | head -20 >&2
        fail=1
    fi
done
extra=$(nm -D --defined-only "$libdir/libcorace.so" | awk 'NF == 3 { print $3 }' | grep -Ev "$public" || true)
if [ -n "$extra" ]; then
    echo "symbols: libcorace.so exports names outside co_/__tsan_/__wrap_:" >&2
    echo "$extra" | head -20 >&2
    fail=1
fi

# 2. Every name the runtime and the checker define globally inside, defined
#    again by the program.  clash.c has three of them with real types.
objs=()
for f in "$@"; do
    while IFS= read -r o; do [ -n "$o" ] && objs+=("$o"); done <"$f"
done
nm -g --defined-only "${objs[@]}" 2>/dev/null | awk 'NF == 3 { print $3 }' |
    grep -Ev "$public" | grep -Evx 'ev|fatal_panic|sched_park' | sort -u >"$tmp/names"
n=$(wc -l <"$tmp/names")
if [ "$n" -lt 100 ]; then
    echo "symbols: only $n internal names found in the objects; the list of objects is wrong" >&2
    exit 1
fi
sed 's/.*/char &;/' "$tmp/names" >"$tmp/own.c"

run() { # NAME PROGRAM
    local out
    if ! out=$("$2" 2>/dev/null); then
        echo "symbols: $1: the program failed: $out" >&2
        fail=1
    elif [ "$out" != "sum 10 ev 7 park 6 fatal 1" ]; then
        echo "symbols: $1: unexpected output: $out" >&2
        fail=1
    else
        echo "symbols: $1: linked and ran with its own ev, fatal_panic, sched_park and $n other names"
    fi
}

inc=$(dirname "$(dirname "$here")")/runtime/include
libs=(-lunwind -ldw -lelf)
if "$cc" -I"$inc" -o "$tmp/static" "$here/clash.c" "$tmp/own.c" "$libdir/libcorace.a" "${libs[@]}" 2>"$tmp/err"; then
    run libcorace.a "$tmp/static"
else
    echo "symbols: libcorace.a: link failed:" >&2; head -20 "$tmp/err" >&2; fail=1
fi
if "$cc" -I"$inc" -o "$tmp/shared" "$here/clash.c" "$tmp/own.c" -L"$libdir" -lcorace \
    -Wl,-rpath,"$libdir" 2>"$tmp/err"; then
    run libcorace.so "$tmp/shared"
else
    echo "symbols: libcorace.so: link failed:" >&2; head -20 "$tmp/err" >&2; fail=1
fi
if [ -f "$libdir/libcorace_race.a" ]; then
    if CC=$cc "$corace" cc -I"$inc" -o "$tmp/checked" "$here/clash.c" "$tmp/own.c" 2>"$tmp/err"; then
        run "libcorace_race.a (corace cc)" "$tmp/checked"
    else
        echo "symbols: libcorace_race.a: corace cc failed:" >&2; head -20 "$tmp/err" >&2; fail=1
    fi
fi
exit $fail
