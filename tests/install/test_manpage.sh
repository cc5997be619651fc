#!/usr/bin/env bash
# test_manpage.sh SOURCE_DIR
# docs/corace.1 lists every CORACE_OPTIONS option of
# detector/core/options.inc in its ENVIRONMENT section (as "name=default"
# tagged paragraphs), so the page cannot drift from the option table.
set -euo pipefail
src=$1
page=$src/docs/corace.1
names=$(sed -n 's/^OPTION([a-z0-9_]*, *\([a-z_0-9]*\),.*/\1/p' "$src/detector/core/options.inc")
[ -n "$names" ] || { echo "no OPTION lines found in options.inc" >&2; exit 1; }
env_section=$(sed -n '/^\.SH ENVIRONMENT/,/^\.SH /p' "$page")
missing=()
for n in $names; do
    # The option's own paragraph: ".BR name =default" (underscores as written).
    grep -q "^\.BR $n =" <<<"$env_section" || missing+=("$n")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "docs/corace.1 lacks CORACE_OPTIONS option(s): ${missing[*]}" >&2
    exit 1
fi
echo "corace.1 lists all $(wc -w <<<"$names") CORACE_OPTIONS options"
