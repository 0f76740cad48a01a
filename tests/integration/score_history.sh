#!/bin/sh
# tests/integration/score_history.sh - scoring through the command line:
# readings on three dates make a history, `diff` accounts for every degree
# that moved, `explain` shows evidence, copies, rejections and gaps, a re-run
# of a date replaces its readings with identical numbers, and bad arguments
# exit 2.
#
# The store is created by `mcthermo score` itself (an empty night), then
# filled with what a crawl and an extraction would have left
# (tests/fixtures/score/night*.sql).
set -u
top=${MCT_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${MCTHERMO:-$top/build/mcthermo}
fx=$top/tests/fixtures/score
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcthermo-score-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp "$fx/mcthermo.ini" "$tmp/"
m() { "$bin" --config "$tmp/mcthermo.ini" "$@"; }
failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
# expect_in FILE TEXT: FILE contains TEXT
expect_in() {
	grep -qF -- "$2" "$1" || fail "$1 lacks '$2'"
}

m score --date 2026-01-01 >"$tmp/s0" || fail "score on an empty store"
expect_in "$tmp/s0" "0/4 sources, 0 evidence (0 confirmed), low confidence"
sqlite3 "$tmp/mcthermo.db" <"$fx/night1.sql" || fail "night1.sql"
m score --date 2026-01-10 >"$tmp/s1" || fail "score on 2026-01-10"
sqlite3 "$tmp/mcthermo.db" <"$fx/night2.sql" || fail "night2.sql"
m -q score --date 2026-02-10 >"$tmp/s2" || fail "score on 2026-02-10"
[ -s "$tmp/s2" ] && fail "score -q printed something"
[ "$(sqlite3 "$tmp/mcthermo.db" "SELECT count(*) FROM runs WHERE command = 'score' AND status = 'ok'")" = 3 ] ||
	fail "each score is a run of its own"

# readings: latest per country, the arrow, confidence; EU level never scored
m readings >"$tmp/r" || fail "readings"
expect_in "$tmp/r" "ES  2026-02-10"
expect_in "$tmp/r" "↑ +0.8"
expect_in "$tmp/r" "4/4 sources, 6 evidence (2 confirmed)"
grep -q '^EU' "$tmp/r" && fail "EU level has a reading"
m readings --json >"$tmp/r.json" || fail "readings --json"
python3 - "$tmp/r.json" <<'EOF' || fail "readings --json contract"
import json, sys
rs = {r["country"]: r for r in json.load(open(sys.argv[1]))}
assert sorted(rs) == ["ES", "HU", "LV", "PL"], sorted(rs)
for r in rs.values():
    for k in ("country", "date", "temperature", "band", "dimensions", "evidence_count",
              "sources_ok", "sources_total", "method_version"):
        assert k in r, k
    assert set(r["dimensions"]) == {"policy", "ecosystem", "infra", "usage"}
    assert 0 <= r["temperature"] <= 100
    assert r["temperature"] == round(r["temperature"], 2)
assert rs["PL"]["band"] == "unknown" and rs["PL"]["low_confidence"]  # nothing could be read
assert rs["HU"]["sources_total"] == 0 and rs["HU"]["low_confidence"]  # only EU sources speak of it
assert rs["HU"]["band"] == "unknown"
assert rs["ES"]["band"] == "frozen" and not rs["ES"]["low_confidence"]
assert rs["ES"]["previous"]["date"] == "2026-01-10"
assert abs(rs["ES"]["delta"] - (rs["ES"]["temperature"] - rs["ES"]["previous"]["temperature"])) < 0.02
EOF

# history: three readings, oldest first; CSV parses
m history ES --csv >"$tmp/h.csv" || fail "history --csv"
[ "$(wc -l <"$tmp/h.csv")" -eq 4 ] || fail "history ES has not 3 readings"
sed -n 2p "$tmp/h.csv" | grep -q '^ES,2026-01-01,0,unknown' || fail "history starts with the empty night"
m history ES >"$tmp/h" || fail "history"
grep -q '█' "$tmp/h" && fail "chart drawn into a pipe"
m history ES --json | python3 -c 'import json,sys; assert len(json.load(sys.stdin)) == 3' ||
	fail "history --json"

# diff: every change, and the lines add up to the move
m diff ES 2026-01-10 2026-02-10 >"$tmp/d" || fail "diff"
expect_in "$tmp/d" "Appeared (1):"
expect_in "$tmp/d" "#11  usage.learner_support  pending"
expect_in "$tmp/d" "Disappeared (1):"
expect_in "$tmp/d" "#10  infra.ects"
expect_in "$tmp/d" "Review status changed (3):"
expect_in "$tmp/d" "#1  policy.definition  pending -> confirmed"
expect_in "$tmp/d" "#6  ecosystem.hei_offer  pending -> rejected"
expect_in "$tmp/d" "gap in infra.portal  pending -> confirmed"
awk '/°  #|other movement/ { sub(/°.*/, ""); s += $1 } /in all/ { sub(/°.*/, ""); t = $1 }
     END { d = s - t; if (d < -0.06 || d > 0.06) exit 1 }' "$tmp/d" ||
	fail "diff lines do not add up to the move"

# explain: evidence, copies counted once, rejections, gaps
m explain ES >"$tmp/e" || fail "explain"
expect_in "$tmp/e" "Spain (ES), reading of 2026-02-10"
expect_in "$tmp/e" "not counted: same sentence as #1 (counted once)"
expect_in "$tmp/e" "not counted: rejected by review"
expect_in "$tmp/e" "gap #5  confirmed"
expect_in "$tmp/e" "policy.council_rec           Council Recommendation           0.0  gap: no evidence"
expect_in "$tmp/e" "https://boe.example/rd-822-2021"
m explain LV >"$tmp/e2" || fail "explain LV"
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/e2"; then fail "explain printed an escape sequence"; fi
m explain ES --date 2026-01-10 --json >"$tmp/e.json" || fail "explain --json"
python3 - "$tmp/e.json" <<'EOF' || fail "explain --json: degrees do not add up"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["date"] == "2026-01-10"
deg = sum(e["degrees"] for d in r["breakdown"] for i in d["indicators"] for e in i["evidence"])
assert abs(deg - r["temperature"]) < 0.1, (deg, r["temperature"])
ind = {i["indicator"]: i for d in r["breakdown"] for i in d["indicators"]}
assert ind["infra.portal"]["gap"] and ind["infra.portal"]["gaps"][0]["id"] == 5
assert ind["policy.definition"]["evidence"][1]["duplicate_of"] == 1
EOF

# a re-run of a date replaces its readings with identical numbers
m readings --csv >"$tmp/before.csv"
m score --date 2026-02-10 >/dev/null || fail "score again"
m readings --csv >"$tmp/after.csv"
cmp -s "$tmp/before.csv" "$tmp/after.csv" || fail "re-scoring changed the numbers"
[ "$(sqlite3 "$tmp/mcthermo.db" "SELECT count(*) FROM readings WHERE country = 'ES'")" = 3 ] ||
	fail "re-scoring added a reading"

# bad arguments and missing readings exit 2 with a message
m score --date 2026-13-01 2>"$tmp/err"
[ $? -eq 2 ] || fail "a bad date is not a usage error"
expect_in "$tmp/err" "YYYY-MM-DD"
m diff ES 2026-01-10 2025-06-01 2>"$tmp/err"
[ $? -eq 2 ] || fail "diff against a missing reading"
expect_in "$tmp/err" "no reading of ES on 2025-06-01"
m explain EU 2>/dev/null
[ $? -eq 2 ] || fail "explain EU"
m history XX 2>/dev/null
[ $? -eq 2 ] || fail "history of an unknown code"

[ "$failures" -eq 0 ] && echo "score_history: all checks passed"
[ "$failures" -eq 0 ]
