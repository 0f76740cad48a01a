#!/bin/sh
# tests/integration/demo_report.sh - the offline demo works end to end.
#
# Runs tests/demo.sh (what `make demo` runs) into a temporary folder and
# checks what a reader of the demo relies on: a reading for each of the six
# countries, an ordering that matches the corpus (Spain hot, France nearly
# frozen), gaps found as negative evidence, a sentence about Spain on a
# Latvian or Polish page credited to Spain and not to the page's country,
# two dated readings per country, a diff that shows what changed between
# them, and the report's index page.
#
# Environment (set by tests/run.sh): MCT_TOP, the repository; MCTHERMO, the
# binary under test (also used by tests/demo.sh).
set -u

top=${MCT_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${MCTHERMO:-$top/mcthermo}
export MCTHERMO="$bin"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mct-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

failures=0
ok() { echo "ok   $*"; }
bad() {
	echo "FAIL $*"
	failures=$((failures + 1))
}

mct() {
	"$bin" --config "$top/config/demo.ini" --db "$tmp/demo.db" "$@"
}

if ! MCT_DEMO_OUT="$tmp" sh "$top/tests/demo.sh" >"$tmp/demo.log" 2>&1; then
	cat "$tmp/demo.log"
	echo "FAIL tests/demo.sh exited non-zero"
	exit 1
fi
ok "tests/demo.sh ran both dates into $tmp"

# ---- readings ------------------------------------------------------------------
mct readings --csv >"$tmp/readings.csv" || bad "readings --csv failed"
# temp CC: the latest temperature of a country ("" when it has no reading).
temp() {
	awk -F, -v cc="$1" 'NR > 1 && $1 == cc { print $3 }' "$tmp/readings.csv"
}
for cc in ES FI LV PL DE FR; do
	t=$(temp "$cc")
	if [ -n "$t" ]; then
		ok "$cc has a reading: $t degrees"
	else
		bad "$cc has no reading"
	fi
done

# gt A B: country A is warmer than country B.
gt() {
	ta=$(temp "$1")
	tb=$(temp "$2")
	if [ -n "$ta" ] && [ -n "$tb" ] && awk -v a="$ta" -v b="$tb" 'BEGIN { exit !(a > b) }'; then
		ok "$1 ($ta) is warmer than $2 ($tb)"
	else
		bad "$1 (${ta:-none}) should be warmer than $2 (${tb:-none})"
	fi
}
for cc in FI LV PL DE FR; do gt ES "$cc"; done
for cc in FI LV PL DE; do gt "$cc" FR; done

# ---- negative evidence -----------------------------------------------------------
mct evidence --polarity negative --csv >"$tmp/negative.csv" || bad "evidence --polarity negative failed"
n=$(grep -c '^[0-9]' "$tmp/negative.csv")
if [ "$n" -gt 0 ]; then ok "$n pieces of negative evidence (gaps)"; else bad "no negative evidence"; fi
if grep -q '^[0-9][0-9]*,FR,' "$tmp/negative.csv"; then
	ok "France has gaps on record"
else
	bad "no negative evidence for France (its pages state there is no definition and no plan)"
fi

# ---- attribution: a sentence about Spain on another country's page --------------
mct evidence --country ES --csv >"$tmp/es.csv" || bad "evidence --country ES failed"
if grep -q 'lv-izm-mikrokvalifikacijas\.html\|pl-ibe-raport-mikroposwiadczenia\.html' "$tmp/es.csv"; then
	ok "a sentence about Spain on a Latvian or Polish page is Spain's evidence"
else
	bad "no evidence of Spain from the Latvian or Polish pages that describe Spain's decree"
fi
mct evidence --country LV --csv >"$tmp/lv.csv" || bad "evidence --country LV failed"
mct evidence --country PL --csv >"$tmp/pl.csv" || bad "evidence --country PL failed"
if grep -q 'Spānijā mikrokvalifikācijas' "$tmp/lv.csv" || grep -q 'Hiszpania przyjęła' "$tmp/pl.csv"; then
	bad "a sentence about Spain was credited to the country of the page it is on"
else
	ok "sentences about Spain are not credited to Latvia or Poland"
fi

# ---- history and diff ---------------------------------------------------------------
mct history ES --csv >"$tmp/history.csv" || bad "history ES failed"
if grep -q '^ES,2026-01-15,' "$tmp/history.csv" && grep -q '^ES,2026-03-15,' "$tmp/history.csv"; then
	ok "Spain's history has both dates"
else
	bad "Spain's history lacks 2026-01-15 or 2026-03-15"
fi
for cc in ES LV; do
	mct diff "$cc" 2026-01-15 2026-03-15 >"$tmp/diff-$cc.txt" || bad "diff $cc failed"
	if grep -q '^Appeared' "$tmp/diff-$cc.txt"; then
		ok "diff $cc shows evidence that appeared in the second run"
	else
		cat "$tmp/diff-$cc.txt"
		bad "diff $cc shows nothing new, though its pages changed"
	fi
done
mct diff DE 2026-01-15 2026-03-15 >"$tmp/diff-DE.txt" || bad "diff DE failed"
if grep -q '^Disappeared' "$tmp/diff-DE.txt"; then
	ok "diff DE shows the evidence of the sentence removed from its page"
else
	cat "$tmp/diff-DE.txt"
	bad "diff DE shows nothing gone, though a sentence was removed"
fi

# ---- the report -----------------------------------------------------------------------
if [ -s "$tmp/report/index.html" ]; then
	ok "the report's index page was written"
else
	bad "no report: $tmp/report/index.html is missing (see the demo log below)"
	cat "$tmp/demo.log"
fi

if [ "$failures" -ne 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
echo "demo: all checks passed"
