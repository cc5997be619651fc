#!/bin/sh
# check_rooms.sh [ROOT] - docs/ARCHITECTURE.md is the house as built: its
# "Rooms" section names every source file of runtime/, detector/ and cli/
# (as `name` in the paragraph of the file's folder), and names none that is
# gone.  Prints each mismatch; exits 1 if there is any.
set -eu

root=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
cd "$root"
doc=docs/ARCHITECTURE.md

# The Rooms section: from its heading to the next heading of the same level.
rooms=$(awk '/^## Rooms/ {on = 1; next} /^## / {on = 0} on' "$doc")
[ -n "$rooms" ] || { echo "$doc: no \"## Rooms\" section"; exit 1; }

bad=0
# Each room is a paragraph opening with its folder in bold: **`detector/core/`**.
for dir in $(find runtime detector cli -type d | sort); do
    files=$(find "$dir" -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' -o -name '*.inc' -o -name '*.S' \) -printf '%f\n' | sort)
    [ -n "$files" ] || continue
    para=$(printf '%s\n' "$rooms" | awk -v d="**\`$dir/\`**" 'index($0, d) == 1 {on = 1} on && /^$/ {exit} on')
    if [ -z "$para" ]; then
        echo "$doc: no room for $dir/"
        bad=1
        continue
    fi
    for f in $files; do
        printf '%s\n' "$para" | grep -qF "\`$f\`" || { echo "$doc: $dir/$f is not named in its room"; bad=1; }
    done
    for named in $(printf '%s\n' "$para" | grep -oE '`[A-Za-z0-9_.-]+\.(c|h|inc|S)`' | tr -d '`' | sort -u); do
        [ -f "$dir/$named" ] || { echo "$doc: room $dir/ names $named, which is not there"; bad=1; }
    done
done
[ "$bad" -eq 0 ] && echo "rooms: docs/ARCHITECTURE.md names every source file"
exit "$bad"
