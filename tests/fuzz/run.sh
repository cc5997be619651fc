#!/usr/bin/env bash
# run.sh BUILD_DIR [SECONDS]
# Configures BUILD_DIR as a clang build with -DCORACE_FUZZ=ON, builds every
# libFuzzer target of tests/fuzz (fuzz_<name>.c -> fuzz_<name>) and runs each
# for SECONDS (default 60), starting from its seed corpus corpus/<name>/.
# New inputs go to BUILD_DIR/fuzz/corpus/<name>, crashing inputs to
# BUILD_DIR/fuzz/artifacts/.  Exits 1 when any target crashed (or leaked, or
# broke one of its own checks), after running them all.  The targets' own
# stderr is discarded (-close_fd_mask=2: parsers report bad input there);
# the sanitizers' and libFuzzer's output is kept.  To see a target's own
# message, run it on the saved input: BUILD_DIR/.../fuzz_NAME ARTIFACT.
# CC picks the compiler (default clang); it must be clang.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 BUILD_DIR [SECONDS]" >&2
    exit 2
fi
build=$1
secs=${2:-60}
case $secs in '' | *[!0-9]*) echo "run.sh: SECONDS must be a whole number, not '$secs'" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)

targets=()
for f in "$here"/fuzz_*.c; do
    n=$(basename "$f" .c)
    targets+=("${n#fuzz_}")
done

cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER="${CC:-clang}" -DCMAKE_BUILD_TYPE=Debug \
    -DCORACE_FUZZ=ON -DCORACE_TESTS=OFF -DCORACE_BENCH=OFF -DCORACE_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${targets[@]/#/fuzz_}"

failed=()
for t in "${targets[@]}"; do
    bin=$(find "$build" -type f -name "fuzz_$t" -perm -u+x | head -n1)
    [ -n "$bin" ] || { echo "run.sh: fuzz_$t was not built" >&2; exit 1; }
    work=$build/fuzz/corpus/$t
    art=$build/fuzz/artifacts
    mkdir -p "$work" "$art"
    echo "== fuzz_$t: $secs s"
    # Seeds are read from the source tree and never written there.
    if "$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 -close_fd_mask=2 \
        -artifact_prefix="$art/$t-" "$work" "$here/corpus/$t" \
        >"$build/fuzz/$t.log" 2>&1; then
        grep -E '^stat::number_of_executed_units|^Done [0-9]+ runs' "$build/fuzz/$t.log" || true
    else
        echo "fuzz_$t FAILED; the end of its log ($build/fuzz/$t.log):" >&2
        tail -n 60 "$build/fuzz/$t.log" >&2
        failed+=("$t")
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz: crashed: ${failed[*]} (inputs in $build/fuzz/artifacts)" >&2
    exit 1
fi
echo "fuzz: ${#targets[@]} target(s), $secs s each, no crash"
