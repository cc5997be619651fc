#!/usr/bin/env bash
# test_install.sh SOURCE_DIR BUILD_DIR
# Installs the built tree into a scratch prefix, then builds and runs a
# consumer with pkg-config (shared and static) and with find_package.
set -euo pipefail
src=$1
build=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(find "$prefix" -name 'libcorace.a' -printf '%h\n' | head -n1)
export PKG_CONFIG_PATH=$libdir/pkgconfig
export LD_LIBRARY_PATH=$libdir

cc -o "$tmp/pc_shared" "$here/consumer.c" $(pkg-config --cflags --libs corace)
"$tmp/pc_shared" | grep -qx 'sum 6'
cc -static-libgcc -o "$tmp/pc_static" "$here/consumer.c" $(pkg-config --cflags corace) \
    "$libdir/libcorace.a" $(pkg-config --libs-only-l --static corace | sed 's/-lcorace//')
"$tmp/pc_static" | grep -qx 'sum 6'

mkdir -p "$tmp/consumer"
cp "$here/consumer.c" "$tmp/consumer/"
cp "$here/CMakeLists.txt.in" "$tmp/consumer/CMakeLists.txt"
cmake -S "$tmp/consumer" -B "$tmp/consumer/build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$tmp/consumer/build" >/dev/null
"$tmp/consumer/build/consumer_static" | grep -qx 'sum 6'
"$tmp/consumer/build/consumer_shared" | grep -qx 'sum 6'

# The manual page: installed to <prefix>/share/man/man1 and rendered without
# a warning (groff, or man when groff is missing; neither: not rendered).
page=$prefix/share/man/man1/corace.1
[ -f "$page" ] || { echo "install: $page was not installed" >&2; exit 1; }
if command -v groff >/dev/null; then
    warn=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1)
    how=groff
elif command -v man >/dev/null; then
    warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
    how="man -l"
else
    warn=
    how=
fi
if [ -n "$warn" ]; then
    echo "install: corace.1 renders with warnings ($how):" >&2
    echo "$warn" >&2
    exit 1
fi
echo "install: corace.1 installed${how:+, rendered by $how without warnings}"
echo "install: pkg-config (shared, static) and find_package (shared, static) consumers ran"
