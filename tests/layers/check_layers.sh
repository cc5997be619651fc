#!/bin/sh
# check_layers.sh [ROOT] - the include rules of docs/ARCHITECTURE.md
# ("Layers"), which the compiler cannot enforce: every directory is on
# every include path of the build.
#
#   detector/  may include of runtime/ only introspect.h, events.h,
#              traceback/*.h and the public include/corace.h;
#   runtime/   includes nothing of detector/;
#   cli/       includes of runtime/ only the public include/, and of detector/
#              the report/ room (kinds, records, renderers), core/options.h
#              (--help's table) and entry/intercept.h (the --wrap list);
#   and inside detector/, each room only the rooms below it:
#              core/ none; report/ and explore/ core/; race/ core/ and
#              report/; deadlock/ core/, race/ and report/; entry/ any.
#
# An include is resolved as the compiler would find it (beside the file,
# then from the root, runtime/include/ and runtime/), so a bare "g.h" or a
# "../runtime/g.h" counts as runtime/g.h.  Prints each violation; exits 1
# if there is any.
set -eu

root=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
cd "$root"

# Where the include named $2 from file $1 lands, relative to the root; the
# name itself when nothing matches (a system header).
resolve() {
    dir=$(dirname "$1")
    for cand in "$dir/$2" "$2" "runtime/include/$2" "runtime/$2"; do
        if [ -f "$cand" ]; then
            realpath -m --relative-to="$root" "$cand"
            return
        fi
    done
    printf '%s\n' "$2"
}

# The room of a detector/ path: detector/race/race.c -> race.
room() { printf '%s\n' "$1" | cut -d/ -f2; }

allowed() {   # layer, resolved path, including file
    if [ "$1" = detector ] && [ "${2#detector/}" != "$2" ]; then
        rfrom=$(room "$3")
        rto=$(room "$2")
        [ "$rfrom" = "$rto" ] && return 0
        case "$rfrom:$rto" in
        report:core | explore:core | race:core | race:report) return 0 ;;
        deadlock:core | deadlock:race | deadlock:report | entry:*) return 0 ;;
        esac
        return 1
    fi
    case "$1:$2" in
    cli:detector/report/* | cli:detector/core/options.h | cli:detector/entry/intercept.h) return 0 ;;
    cli:detector/*) return 1 ;;
    detector:runtime/introspect.h | detector:runtime/events.h | detector:runtime/traceback/*.h) return 0 ;;
    detector:runtime/include/* | cli:runtime/include/*) return 0 ;;
    detector:runtime/* | cli:runtime/* | runtime:detector/*) return 1 ;;
    esac
    return 0
}

violations=$(
    for layer in detector runtime cli; do
        [ -d "$layer" ] || continue
        find "$layer" -type f \( -name '*.c' -o -name '*.h' -o -name '*.inc' -o -name '*.S' \) | sort |
        while IFS= read -r f; do
            # "#  include" and <...> forms too: a layer break is one either way.
            sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]\([^">]*\)[">].*/\1/p' "$f" | sort -u |
            while IFS= read -r name; do
                to=$(resolve "$f" "$name")
                allowed "$layer" "$to" "$f" || echo "$f: includes \"$name\" ($to): not allowed from $layer/"
            done
        done
    done
)
if [ -n "$violations" ]; then
    printf '%s\n' "$violations"
    exit 1
fi
echo "layers: include rules hold"
