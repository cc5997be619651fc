#!/usr/bin/env bash
# test_report.sh CASE CORACE SAMPLES_DIR - tests of `corace report`.
#   text       (needs the checker runtime) for a race, an AB-BA deadlock, a
#              partial deadlock and a copied Mutex: the records of a
#              `run --format json` rendered as text equal the text of a
#              `run` (same seed), addresses aside; json round-trips
#   sarif      (needs the checker runtime) SARIF 2.1.0: the required structure
#              (python3-jsonschema), ruleIds, primary file:line against the
#              samples' real lines, --strip-path-prefix makes URIs relative
#   junit      (needs the checker runtime) a testcase per FILE, a failure per record
#   dot        (needs the checker runtime) the cycles as Graphviz digraphs
#   run        (needs the checker runtime) `corace run --format sarif|junit -o FILE`:
#              every finding of the run, the global deadlock and a panic included,
#              with the program's own exit status; -o is required
#   bad        missing file, empty file, malformed and truncated lines, wrong
#              shapes, unknown --format and flags: exit 1, one line naming FILE:LINE
set -u
case_=${1:?usage: test_report.sh CASE CORACE SAMPLES_DIR}
corace=${2:?}
samples=${3:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp" || exit 1

# run WANT_STATUS ARGS...: corace with ARGS, stdout to out, stderr to err.
run() {
    local want=$1
    shift
    "$corace" "$@" >out 2>err </dev/null
    local rc=$?
    if [ "$rc" != "$want" ]; then
        echo "stderr:"; cat err
        fail "corace $* exited $rc, want $want"
    fi
}
# The whole of stderr must be one line matching the extended regex $1.
err_is() {
    [ "$(wc -l <err)" = 1 ] || fail "stderr is not one line: $(cat err)"
    grep -Eqx -- "$1" err || fail "stderr is '$(cat err)', want /$1/"
}

# records NAME: NAME.jsonl, the records of samples/NAME.c (CO_SEED=1), and
# NAME.txt, the stderr of the same program in text format.
records() {
    "$corace" run --seed 1 --format json -o "$1.log" "$samples/$1.c" >/dev/null 2>/dev/null
    local f
    f=$(ls "$1".log.* 2>/dev/null | grep -E "\.log\.[0-9]+$")
    [ -n "$f" ] && [ "$(echo "$f" | wc -l)" = 1 ] || fail "$1: no single log file: $(ls)"
    mv "$f" "$1.jsonl"
    "$corace" run --seed 1 "$samples/$1.c" >/dev/null 2>"$1.txt"
}

# The checker's reports in a text stderr (the blocks of the kinds that have
# JSON records), then the "Found" line, then the runtime's death (Go's dump,
# up to the checker's own lines after it), trailing blank lines dropped.
blocks() {
    awk '/^==================$/ { if (!inb) { inb = 1; buf = $0 "\n"; next }
                                  buf = buf $0 "\n"; inb = 0
                                  if (buf ~ /\nWARNING: (DATA RACE|DEADLOCK|POTENTIAL DEADLOCK|PARTIAL DEADLOCK|SYNC OBJECT|GOROUTINE LEAK)/) printf "%s", buf
                                  next }
         inb { buf = buf $0 "\n"; next }
         /^Found [0-9]+ data race/ { print }
         /^(fatal error|panic): / { dump = 1 }
         dump && /^corace: / { dump = 0 }
         dump { print }' "$1" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}

mask() { sed -E 's/0x[0-9a-f]{12,}/ADDR/g' "$1"; }

# line_of FILE PATTERN: the line number of the first line matching PATTERN.
line_of() { grep -n -m1 -- "$2" "$1" | cut -d: -f1; }

case $case_ in
run)
    run 2 run --seed 1 --format sarif -o abba.sarif "$samples/abba_deadlock.c"
    python3 - abba.sarif <<'PY' || fail "run --format sarif: abba_deadlock"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["version"] == "2.1.0", doc["version"]
res = doc["runs"][0]["results"]
assert sorted(r["ruleId"] for r in res) == ["deadlock", "lock-order", "wait-cycle"], [r["ruleId"] for r in res]
for r in res:
    loc = r["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("abba_deadlock.c") and loc["region"]["startLine"] > 0, loc
PY
    run 66 run --seed 1 --format junit -o partial.xml "$samples/partial_deadlock.c"
    python3 - partial.xml "$samples/partial_deadlock.c" <<'PY' || fail "run --format junit: partial_deadlock"
import sys, xml.etree.ElementTree as E
cases = list(E.parse(sys.argv[1]).iter("testcase"))
assert [c.get("name") for c in cases] == [sys.argv[2]], [c.get("name") for c in cases]
fails = cases[0].findall("failure")
assert len(fails) == 2, len(fails)
bodies = "".join(f.text or "" for f in fails)
assert "WARNING: PARTIAL DEADLOCK" in bodies and "WARNING: GOROUTINE LEAK" in bodies, bodies
PY
    run 0 run --seed 1 --format junit -o fixed.xml "$samples/partial_deadlock_fixed.c"
    python3 - fixed.xml <<'PY' || fail "run --format junit: a failure for the fixed twin"
import sys, xml.etree.ElementTree as E
cases = list(E.parse(sys.argv[1]).iter("testcase"))
assert len(cases) == 1 and not cases[0].findall("failure"), cases
PY
    printf '%s\n' '#include <corace.h>' \
        'static void boom(void *arg) { (void)arg; co_panic("boom %d", 42); /* PANIC */ }' \
        'int main(void) { co_go(boom, 0); co_sleep(1000000000); return 0; }' >panics.c
    run 2 run --seed 1 --format sarif -o panic.sarif panics.c
    python3 - panic.sarif "$(line_of panics.c PANIC)" <<'PY' || fail "run --format sarif: a panic"
import json, sys
res = json.load(open(sys.argv[1]))["runs"][0]["results"]
assert [r["ruleId"] for r in res] == ["runtime-error"], [r["ruleId"] for r in res]
assert res[0]["message"]["text"].startswith("panic: boom 42"), res[0]["message"]
loc = res[0]["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"].endswith("panics.c") and loc["region"]["startLine"] == int(sys.argv[2]), loc
PY
    if [ -n "${CORACE_SARIF_SCHEMA:-}" ]; then
        python3 - "$CORACE_SARIF_SCHEMA" abba.sarif panic.sarif <<'PY' || fail "run: SARIF against the 2.1.0 schema"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
for f in sys.argv[2:]:
    jsonschema.validate(json.load(open(f)), schema)
PY
    fi
    # The records go to a directory under $TMPDIR, removed afterwards; one
    # that cannot be made is corace's failure (125), said in one line.
    mkdir tmpd
    TMPDIR=$PWD/tmpd "$corace" run --seed 1 --format junit -o t.xml "$samples/partial_deadlock_fixed.c" >/dev/null 2>&1 ||
        fail "run --format junit with TMPDIR set failed"
    [ -s t.xml ] || fail "run --format junit with TMPDIR set wrote nothing"
    [ -z "$(ls tmpd)" ] || fail "records directory left in TMPDIR: $(ls tmpd)"
    TMPDIR=$PWD/no/such/dir "$corace" run --seed 1 --format junit -o u.xml "$samples/partial_deadlock_fixed.c" >out 2>err </dev/null
    [ $? = 125 ] || fail "run with an unusable TMPDIR: want exit 125"
    grep -q "^corace: cannot create a temporary directory: " err || fail "no temporary-directory error: $(cat err)"
    run 1 run --format sarif "$samples/abba_deadlock.c"
    err_is "corace: run: --format sarif needs -o FILE .*"
    ;;
text)
    for s in next_lost_update abba_deadlock partial_deadlock mutex_by_value; do
        records $s
        run 66 report $s.jsonl
        mv out $s.rendered
        [ -s $s.rendered ] || fail "$s: nothing rendered"
        blocks $s.txt >$s.expected
        [ -s $s.expected ] || fail "$s: the text run printed no report: $(cat $s.txt)"
        diff -u <(mask $s.expected) <(mask $s.rendered) || fail "$s: the rendering differs from the checker's text"
        # And against the record itself: every frame of it is in the text.
        python3 - "$s.jsonl" "$s.rendered" <<'PY' || fail "$s: a frame of the records is not in the text"
import json, sys
text = open(sys.argv[2]).read()
def frames(v, key=None):
    if isinstance(v, dict):
        if "function" in v and "file" in v:
            yield v
        for k, x in v.items():
            # A traceback's creation is Go's "created by F": its innermost frame alone
            # (records with "created_by": partial deadlocks, leaks, dumps).
            if "created_by" in v and k == "created":
                x = x[:1]
            yield from frames(x, k)
    elif isinstance(v, list):
        for x in v:
            yield from frames(x)
n = 0
for line in open(sys.argv[1]):
    if not line.startswith("{"):
        continue
    for fr in frames(json.loads(line)):
        n += 1
        loc = "%s:%d" % (fr["file"], fr["line"])
        if fr["function"] not in text or loc not in text:
            sys.exit("missing %s at %s" % (fr["function"], loc))
if n == 0:
    sys.exit("no frames in the records")
PY
        # json: the records again, and rendering those gives the same text.
        run 66 report --format json $s.jsonl
        mv out $s.again.jsonl
        [ "$(wc -l <$s.again.jsonl)" = "$(grep -c '^{' $s.jsonl)" ] || fail "$s: json lost records"
        run 66 report $s.again.jsonl
        cmp -s out $s.rendered || fail "$s: json round trip changed the text"
    done
    grep -q "^WARNING: DATA RACE$" next_lost_update.rendered || fail "no race rendered"
    grep -q "^Found 1 data race(s)$" next_lost_update.rendered || fail "no Found line"
    grep -q "^WARNING: DEADLOCK (wait-for cycle)$" abba_deadlock.rendered || fail "no wait-for cycle"
    grep -q "^WARNING: POTENTIAL DEADLOCK (lock-order inversion)$" abba_deadlock.rendered || fail "no lock-order"
    grep -q "^WARNING: PARTIAL DEADLOCK$" partial_deadlock.rendered || fail "no partial deadlock"
    grep -q "^WARNING: SYNC OBJECT COPIED AFTER FIRST USE$" mutex_by_value.rendered || fail "no copy"
    grep -q "^WARNING: GOROUTINE LEAK$" partial_deadlock.rendered || fail "no leak rendered"
    grep -q '"kind":"leak"' partial_deadlock.jsonl || fail "no leak record in the log"
    grep -qx "fatal error: all goroutines are asleep - deadlock!" abba_deadlock.rendered || fail "no deadlock rendered"
    ;;
sarif)
    python3 -c "import jsonschema" 2>/dev/null || fail "python3-jsonschema is missing (apt-get install python3-jsonschema)"
    for s in next_lost_update abba_deadlock partial_deadlock mutex_by_value; do
        records $s
    done
    # Absolute paths: file: URIs; with the samples' directory stripped, relative ones.
    run 66 report --format sarif next_lost_update.jsonl abba_deadlock.jsonl partial_deadlock.jsonl mutex_by_value.jsonl
    mv out abs.sarif
    run 66 report --format sarif --strip-path-prefix "$samples/" next_lost_update.jsonl abba_deadlock.jsonl \
        partial_deadlock.jsonl mutex_by_value.jsonl
    mv out rel.sarif
    want_race=$(line_of "$samples/next_lost_update.c" "int c = \*v;")
    want_abba=$(line_of "$samples/abba_deadlock.c" "co_mutex_lock(&b); */\* blocks forever")
    want_partial=$(line_of "$samples/partial_deadlock.c" "co_chan_recv(parsed, &cfg); /\* blocks forever")
    python3 - abs.sarif rel.sarif "$samples" "$want_race" "$want_abba" "$want_partial" <<'PY' || fail "SARIF checks"
import json, sys, jsonschema
abs_, rel, samples, want_race, want_abba, want_partial = sys.argv[1:]
# The properties SARIF 2.1.0 requires (sarif-schema-2.1.0.json's "required"
# lists) for what corace writes, as a JSON Schema.
loc = {"type": "object", "required": ["physicalLocation"], "properties": {
    "physicalLocation": {"type": "object", "required": ["artifactLocation"], "properties": {
        "artifactLocation": {"type": "object", "required": ["uri"],
                             "properties": {"uri": {"type": "string", "minLength": 1}}},
        "region": {"type": "object", "required": ["startLine"],
                   "properties": {"startLine": {"type": "integer", "minimum": 1}}}}},
    "message": {"type": "object", "required": ["text"]}}}
flow = {"type": "object", "required": ["threadFlows"], "properties": {
    "threadFlows": {"type": "array", "minItems": 1, "items": {
        "type": "object", "required": ["locations"], "properties": {
            "locations": {"type": "array", "minItems": 1, "items": {
                "type": "object", "required": ["location"], "properties": {"location": loc}}}}}}}}
result = {"type": "object", "required": ["ruleId", "level", "message", "locations"], "properties": {
    "level": {"const": "error"},
    "message": {"type": "object", "required": ["text"],
                "properties": {"text": {"type": "string", "minLength": 1}}},
    "locations": {"type": "array", "minItems": 1, "items": loc},
    "relatedLocations": {"type": "array", "items": loc},
    "codeFlows": {"type": "array", "items": flow}}}
rule = {"type": "object", "required": ["id", "shortDescription"],
        "properties": {"shortDescription": {"type": "object", "required": ["text"]}}}
driver = {"type": "object", "required": ["name", "version", "rules"], "properties": {
    "name": {"const": "corace"}, "rules": {"type": "array", "minItems": 1, "items": rule}}}
run_ = {"type": "object", "required": ["tool", "results"], "properties": {
    "tool": {"type": "object", "required": ["driver"], "properties": {"driver": driver}},
    "results": {"type": "array", "items": result}}}
schema = {"type": "object", "required": ["version", "$schema", "runs"], "properties": {
    "version": {"enum": ["2.1.0"]},
    "$schema": {"type": "string", "pattern": "sarif-schema-2\\.1\\.0\\.json$"},
    "runs": {"type": "array", "minItems": 1, "items": run_}}}
ids = {"data-race", "deadlock", "wait-cycle", "lock-order", "leak", "sync-copy", "runtime-error"}
for name in (abs_, rel):
    doc = json.load(open(name))
    jsonschema.validate(doc, schema)
    run = doc["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert set(rules) == ids, rules
    res = run["results"]
    for r in res:
        assert r["ruleId"] in ids, r["ruleId"]
        assert rules[r["ruleIndex"]] == r["ruleId"]
    got = sorted(r["ruleId"] for r in res)
    # next_lost_update: a race; abba: lock-order, wait-cycle and the global
    # deadlock; partial: deadlock (partial) and the leak at exit;
    # mutex_by_value: a copy and a race.
    assert got == sorted(["data-race", "lock-order", "wait-cycle", "deadlock", "deadlock", "leak", "sync-copy",
                          "data-race"]), got
    def primary(r):
        pl = r["locations"][0]["physicalLocation"]
        return pl["artifactLocation"]["uri"], pl["region"]["startLine"]
    first = {}
    for r in res:
        first.setdefault(r["ruleId"], primary(r))
    def uri(f):
        return ("file://" + samples.rstrip("/") + "/" + f) if name == abs_ else f
    assert first["data-race"] == (uri("next_lost_update.c"), int(want_race)), first["data-race"]
    assert first["wait-cycle"][0] == uri("abba_deadlock.c"), first["wait-cycle"]
    assert first["wait-cycle"][1] == int(want_abba), (first["wait-cycle"], want_abba)
    partial = [r for r in res if r["message"]["text"].startswith("Partial deadlock")]
    assert len(partial) == 1 and primary(partial[0]) == (uri("partial_deadlock.c"), int(want_partial)), partial
    leak = [r for r in res if r["ruleId"] == "leak"]
    assert len(leak) == 1 and primary(leak[0]) == (uri("partial_deadlock.c"), int(want_partial)), leak
    dump = [r for r in res if r["ruleId"] == "deadlock" and r not in partial]
    assert len(dump) == 1 and dump[0]["message"]["text"].startswith("fatal error: all goroutines are asleep"), dump
    assert primary(dump[0])[0] == uri("abba_deadlock.c"), dump
    assert first["sync-copy"][0] == uri("mutex_by_value.c"), first["sync-copy"]
    if name == rel:
        for r in res:
            al = r["locations"][0]["physicalLocation"]["artifactLocation"]
            assert al.get("uriBaseId") == "%SRCROOT%" and not al["uri"].startswith("/"), al
        assert "%SRCROOT%" in run["originalUriBaseIds"]
    # The other goroutine of the race is a related location and a thread flow.
    race = [r for r in res if r["ruleId"] == "data-race"][0]
    assert len(race["relatedLocations"]) >= 1 and len(race["codeFlows"][0]["threadFlows"]) >= 2
print("sarif ok")
PY
    # In CI, also against the official schema (CORACE_SARIF_SCHEMA, fetched by .ci/run).
    if [ -n "${CORACE_SARIF_SCHEMA:-}" ]; then
        python3 - "$CORACE_SARIF_SCHEMA" abs.sarif rel.sarif <<'PY' || fail "SARIF against the 2.1.0 schema"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
for f in sys.argv[2:]:
    jsonschema.validate(json.load(open(f)), schema)
PY
        echo "validated against $CORACE_SARIF_SCHEMA"
    fi
    ;;
junit)
    records mutex_by_value
    records abba_deadlock
    run 66 report --format junit -o report.xml mutex_by_value.jsonl abba_deadlock.jsonl
    [ -s out ] && fail "junit with -o wrote to stdout"
    nm=$(grep -c '^{' mutex_by_value.jsonl)
    na=$(grep -c '^{' abba_deadlock.jsonl)
    python3 - report.xml "$nm" "$na" <<'PY' || fail "JUnit checks"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = root.findall("testsuite")
assert len(suites) == 1, suites
cases = suites[0].findall("testcase")
assert [c.get("name") for c in cases] == ["mutex_by_value.jsonl", "abba_deadlock.jsonl"], [c.get("name") for c in cases]
fm, fa = (len(c.findall("failure")) for c in cases)
assert (fm, fa) == (int(sys.argv[2]), int(sys.argv[3])), (fm, fa)
assert suites[0].get("failures") == str(fm + fa) and suites[0].get("tests") == "2"
body = cases[1].findall("failure")[0].text
assert "WARNING:" in body and "DEADLOCK" in body, body
types = sorted(f.get("type") for c in cases for f in c.findall("failure"))
assert "sync-copy" in types and "wait-cycle" in types, types
print("junit ok")
PY
    ;;
dot)
    records abba_deadlock
    run 66 report --format dot abba_deadlock.jsonl
    [ "$(grep -c '^digraph ' out)" = 2 ] || fail "want 2 graphs (lock order and wait-for): $(cat out)"
    grep -q '^digraph "wait-for cycle" {$' out || fail "no wait-for graph"
    grep -q 'label="held by (write)\\n.*abba_deadlock.c:[0-9]*"' out || fail "no held-by edge"
    grep -q 'color=red' out || fail "no waits-for edge"
    [ "$(grep -c '^}$' out)" = 2 ] || fail "graphs not closed"
    if command -v dot >/dev/null; then
        dot -Tsvg out >/dev/null || fail "dot rejects the graphs"
    fi
    ;;
bad)
    run 1 report no_such_file.jsonl
    err_is "corace: report: no_such_file.jsonl: No such file or directory"
    : >empty.jsonl
    run 1 report empty.jsonl
    err_is "corace: report: empty.jsonl: no records .*"
    good='{"kind":"copy","type":"sync.Mutex","addr":"0x10","original":"0x20","goroutine":2}'
    printf '%s\n%s\n' "$good" '{"kind":"race","addr":' >trunc.jsonl
    run 1 report trunc.jsonl
    err_is "corace: report: trunc.jsonl:2: unexpected token near end of file at column 22"
    [ -s out ] && fail "output for a bad file: $(cat out)"
    printf '%s\n\n%s\n' "$good" 'not json' >garbage.jsonl
    run 1 report --format sarif garbage.jsonl
    err_is "corace: report: garbage.jsonl:3: invalid token near 'not' at column 3"
    printf '%s\n' '{"kind":"race","addr":"0x10","size":4,"accesses":[],"goroutines":[]}' >shape.jsonl
    run 1 report shape.jsonl
    err_is "corace: report: shape.jsonl:1: race: \"accesses\" has 0 items, want 2"
    printf '%s\n' '{"kind":"copy","type":"sync.Mutex","addr":"0x10","original":"0x20","goroutine":2} x' >trail.jsonl
    run 1 report trail.jsonl
    err_is "corace: report: trail.jsonl:1: end of file expected near 'x' at column 83"
    printf '%s\n' '{"kind":"nope"}' >kind.jsonl
    run 1 report kind.jsonl
    err_is "corace: report: kind.jsonl:1: unknown record kind \"nope\""
    # Nesting deeper than jansson's parser goes (2048), closed: refused, no crash.
    python3 -c "print('[' * 3000 + ']' * 3000)" >deep.jsonl
    run 1 report deep.jsonl
    err_is "corace: report: deep.jsonl:1: maximum parsing depth reached near '\\[' at column [0-9]+"
    printf '%s\n' '{"kind":"copy","type":"sync.Mutex\u00zz"}' >esc.jsonl
    run 1 report esc.jsonl
    err_is "corace: report: esc.jsonl:1: invalid escape near '\"sync.Mutex\\\\u00z' at column 38"
    printf '==================\nWARNING: GOROUTINE LEAK\n' >open.jsonl
    run 1 report open.jsonl
    err_is "corace: report: open.jsonl:1: a text report .* that is never closed"
    # A good file renders; then the usage errors.
    printf '%s\n' "$good" >good.jsonl
    run 66 report good.jsonl
    grep -q "^sync.Mutex at 0x000000000010 is a copy of the one at 0x000000000020" out || fail "copy text: $(cat out)"
    # Strings hold the bytes the checker wrote, UTF-8 or not: rendered as they
    # are, and --format json writes the line back byte for byte.
    printf '{"kind":"copy","type":"sync.Mu\xfftex","addr":"0x10","original":"0x20","goroutine":2,"stack":[{"function":"f\xc3\xa9\xf4\x8f\xbf\xbf","file":"/s/\xff\xfe.c","line":3,"inlined":true}]}\n' >raw.jsonl
    run 66 report raw.jsonl
    grep -q "^sync.Mu$(printf '\xff')tex at 0x000000000010 " out || fail "raw bytes in the text: $(cat out)"
    grep -qx "      /s/$(printf '\xff\xfe').c:3" out || fail "raw file name in the text: $(cat out)"
    run 66 report --format json raw.jsonl
    cmp -s out raw.jsonl || fail "raw bytes do not round-trip: $(od -c out | head)"
    run 1 report --format xml good.jsonl
    err_is "corace: report: unknown format 'xml' .*"
    run 1 report --no-such-flag good.jsonl
    err_is "corace: report: unknown flag '--no-such-flag' .*"
    run 1 report
    err_is "corace: report: no FILE of records given .*"
    run 1 report good.jsonl --format
    err_is "corace: report: --format needs a value .*"
    run 0 report --help
    grep -q "sarif" out || fail "report --help does not list sarif"
    run 0 help report
    grep -q "junit" out || fail "help report does not list junit"
    ;;
*)
    fail "unknown case $case_"
    ;;
esac
echo "PASS: report $case_"
