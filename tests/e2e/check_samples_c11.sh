#!/usr/bin/env bash
# check_samples_c11.sh CC INCLUDE_DIR SAMPLE.c...
# Every sample must compile as plain C11 with warnings as errors:
#   cc -std=c11 -Wall -Wextra -Werror
set -u
cc=${1:?usage: check_samples_c11.sh CC INCLUDE_DIR SAMPLE.c...}
inc=${2:?usage: check_samples_c11.sh CC INCLUDE_DIR SAMPLE.c...}
shift 2
failures=0
for src in "$@"; do
    if ! "$cc" -std=c11 -Wall -Wextra -Werror -I "$inc" -fsyntax-only "$src"; then
        echo "FAIL: $src does not compile with -std=c11 -Wall -Wextra -Werror"
        failures=$((failures + 1))
    fi
done
echo "$# samples checked, $failures failed"
[ "$failures" -eq 0 ]
