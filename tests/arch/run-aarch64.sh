#!/usr/bin/env bash
# Cross-builds corace for AArch64 and runs the end-to-end suite (samples,
# deadlock reports with their traces, runtime errors, stack overflow) under
# qemu-user.  The Check unit suites are not run there: Check's fork mode
# hangs under qemu-user, for reasons of the emulator's, not corace's.
#   tests/arch/run-aarch64.sh [BUILD_DIR]
# Exit status 0 when the suite passed, 1 when it failed, 77 when the cross
# toolchain is missing and cannot be installed (not root, or no packages).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build-aarch64}

have() {
    command -v aarch64-linux-gnu-gcc >/dev/null && command -v qemu-aarch64-static >/dev/null &&
        [ -f /usr/lib/aarch64-linux-gnu/pkgconfig/libunwind.pc ] &&
        [ -f /usr/lib/aarch64-linux-gnu/pkgconfig/libdw.pc ] &&
        [ -f /usr/lib/aarch64-linux-gnu/pkgconfig/check.pc ] &&
        [ -f /usr/lib/aarch64-linux-gnu/libjansson.a ]
}

if ! have; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "aarch64: cross toolchain missing and not root to install it" >&2
        exit 77
    fi
    export DEBIAN_FRONTEND=noninteractive
    if ! { dpkg --add-architecture arm64 && apt-get update -qq &&
        apt-get install -y -qq gcc-aarch64-linux-gnu qemu-user-static \
            libunwind-dev:arm64 libdw-dev:arm64 libelf-dev:arm64 libjansson-dev:arm64 check:arm64 >/dev/null; }; then
        echo "aarch64: could not install the cross toolchain" >&2
        exit 77
    fi
fi

cmake -S . -B "$build" -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake \
    -DCORACE_WERROR=ON -DCORACE_BENCH=OFF >/dev/null
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" --timeout 120 -L e2e
