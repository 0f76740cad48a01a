#!/bin/sh
# tests/integration/report_browser.sh - the dashboard in a real browser.
#
# Runs the real pipeline on a small fixture (tests/fixtures/report: file://
# pages of Ireland and Spain, one source that cannot be read, one page that
# changes between two dated runs and carries a <script> and a javascript:
# link as text), records reviews, writes `mcthermo report --out DIR`, then
# loads the index and Ireland's page in headless Chromium from file://,
# takes screenshots, and checks the rendered DOM: one SVG thermometer per
# country, the history chart, the hostile text inert, and nothing on the
# console.  A canary page with a deliberate console error first proves the
# console check can see errors at all.
#
# Chromium is Debian's `chromium` package, installed by `make deps`: when it
# is missing the test fails rather than skips.  The data files are compared
# byte for byte with what `readings --json`, `readings --csv`, `history
# --csv` and `evidence --csv` print.  Set MCT_SCREENSHOTS=DIR to keep the
# screenshots.
#
# Environment (set by tests/run.sh): MCT_TOP, the repository; MCTHERMO, the
# binary under test.
set -u

top=${MCT_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${MCTHERMO:-$top/mcthermo}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mct-report-browser.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

failures=0
ok() { echo "ok   $*"; }
bad() {
	echo "FAIL $*"
	failures=$((failures + 1))
}
# expect WANT CMD...: run CMD, which must exit WANT.
expect() {
	want=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		ok "$* (exit $got)"
	else
		bad "$* exited $got, expected $want: $(cat "$tmp/err")"
	fi
}

chromium=$(command -v chromium || true)
if [ -z "$chromium" ]; then
	echo "FAIL chromium is not installed: run \`make deps\` (Debian package chromium)"
	exit 1
fi

# ---- the pipeline, twice ------------------------------------------------------------
mkdir "$tmp/pages"
cp "$top"/tests/fixtures/report/*.html "$tmp/pages/"
cp "$tmp/pages/ie-hea.html" "$tmp/pages/ie-hea-live.html"
cat >"$tmp/report.ini" <<EOF
[store]
path = report.db
[rules]
path = $top/rules/defs
[crawler]
per_host_delay_ms = 0
retries = 0
[source:ie-hea]
country = IE
kind = policy
url = file://pages/ie-hea-live.html
lang = en
[source:ie-qqi]
country = IE
kind = qa
url = file://pages/ie-qqi.html
lang = en
[source:ie-register]
country = IE
kind = platform
url = file://pages/ie-register.html
lang = en
[source:es-universidades]
country = ES
kind = policy
url = file://pages/es-universidades.html
lang = es
EOF
mct() { "$bin" --config "$tmp/report.ini" "$@"; }

# One source cannot be read: each run finishes, partial (exit 1).
expect 1 mct -q run --date 2026-01-10
cp "$tmp/pages/ie-hea-v2.html" "$tmp/pages/ie-hea-live.html"
expect 1 mct -q run --date 2026-02-10

# Reviews: confirm the national definition, reject one QA sentence.
mct evidence --country IE --csv >"$tmp/ie.csv"
def=$(awk -F, '$4 == "policy.definition" && $5 == "positive" { print $1; exit }' "$tmp/ie.csv")
rej=$(grep 'Industry partners contributed' "$tmp/ie.csv" | head -n 1 | cut -d, -f1)
if [ -n "$def" ] && [ -n "$rej" ]; then
	expect 0 mct review "$def" confirm --by tester
	expect 0 mct review "$rej" reject --by tester --note "not about the national system"
	expect 0 mct -q score --date 2026-02-10
else
	bad "the fixture yields no policy.definition evidence or no QA sentence to review"
fi

# ---- the report ---------------------------------------------------------------------------
site="$tmp/site"
expect 0 mct report --out "$site"
for f in index.html IE.html ES.html readings.csv readings.json history.csv evidence.csv; do
	if [ -s "$site/$f" ]; then ok "$f written"; else bad "$f missing or empty"; fi
done
expect 2 mct report
expect 2 mct report --out "$tmp/report.ini"

# The data files keep the command line's contracts, byte for byte.
same() {
	name=$1
	shift
	"$@" >"$tmp/cmd.out" 2>/dev/null
	if cmp -s "$tmp/cmd.out" "$site/$name"; then
		ok "$name is what \`$*\` prints"
	else
		bad "$name differs from \`$*\`: $(diff "$tmp/cmd.out" "$site/$name" | head -n 5)"
	fi
}
same readings.json mct readings --json
same readings.csv mct readings --csv
same evidence.csv mct evidence --csv
mct history IE --csv | tail -n +2 >"$tmp/ie-history"
grep '^IE,' "$site/history.csv" >"$tmp/ie-history-site"
if cmp -s "$tmp/ie-history" "$tmp/ie-history-site"; then
	ok "history.csv holds Ireland's rows of \`history IE --csv\`"
else
	bad "history.csv differs from \`history IE --csv\`"
fi

# The site stands alone: no script, style sheet, image, frame or font to load.
if grep -l -i -E '<script|<link|<img|<iframe|<object|<embed|@import|url\(' "$site"/*.html; then
	bad "a page loads something from outside itself (files above)"
else
	ok "no page loads a script, style sheet, image, frame or font"
fi

# ---- the browser --------------------------------------------------------------------------
# browse OUT URL ARGS...: run headless Chromium with a fresh profile; its log
# (stderr) goes to OUT.log, its stdout to OUT.
browse() {
	out=$1
	url=$2
	shift 2
	profile=$(mktemp -d "$tmp/profile.XXXXXX")
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" --enable-logging=stderr --v=0 --hide-scrollbars \
		"$@" "$url" >"$out" 2>"$out.log"
	rc=$?
	rm -rf "$profile"
	return $rc
}
console_errors() {
	grep -E ':CONSOLE|Uncaught|console\.(error|warn)' "$1"
}

# The canary: a page that logs an error and throws must be caught.
cat >"$tmp/canary.html" <<'EOF'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>canary</title></head>
<body><p>canary</p><script>console.error("canary error"); missingFunction();</script></body></html>
EOF
browse "$tmp/canary.dom" "file://$tmp/canary.html" --dump-dom
if console_errors "$tmp/canary.dom.log" | grep -q 'canary error' &&
	console_errors "$tmp/canary.dom.log" | grep -q 'Uncaught'; then
	ok "the console check sees a page's console errors"
else
	bad "the console check missed the canary's errors; log: $(tail -n 5 "$tmp/canary.dom.log")"
fi

# count FILE PATTERN: occurrences of PATTERN in FILE.
count() { grep -o -- "$2" "$1" | wc -l | tr -d ' '; }

for page in index IE; do
	url="file://$site/$page.html"
	if browse "$tmp/$page.dom" "$url" --dump-dom; then
		ok "chromium rendered $page.html"
	else
		bad "chromium failed on $page.html: $(tail -n 5 "$tmp/$page.dom.log")"
	fi
	if browse "$tmp/$page.shot" "$url" --screenshot="$tmp/$page.png" --window-size=1280,2000 &&
		[ "$(head -c 8 "$tmp/$page.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
		ok "screenshot of $page.html ($(wc -c <"$tmp/$page.png") bytes)"
	else
		bad "no screenshot of $page.html: $(tail -n 5 "$tmp/$page.shot.log")"
	fi
	if console_errors "$tmp/$page.dom.log" || console_errors "$tmp/$page.shot.log"; then
		bad "$page.html wrote to the console (lines above)"
	else
		ok "$page.html: nothing on the console"
	fi
	if grep -q -i '<script' "$tmp/$page.dom"; then
		bad "$page.html has a script element in its DOM"
	else
		ok "$page.html: no script element in the DOM"
	fi
	if [ -n "${MCT_SCREENSHOTS:-}" ]; then
		mkdir -p "$MCT_SCREENSHOTS" && cp "$tmp/$page.png" "$MCT_SCREENSHOTS/"
	fi
done

n=$(count "$tmp/index.dom" '<svg class="thermometer"')
if [ "$n" -eq 2 ]; then ok "index: a thermometer for each of the 2 countries"; else bad "index: $n thermometers, expected 2"; fi
for cls in dimension-bars sparkline; do
	n=$(count "$tmp/index.dom" "<svg class=\"$cls\"")
	if [ "$n" -eq 2 ]; then ok "index: 2 $cls"; else bad "index: $n $cls, expected 2"; fi
done
if grep -q 'href="IE.html"' "$tmp/index.dom" && grep -q 'href="ES.html"' "$tmp/index.dom"; then
	ok "index links both country pages"
else
	bad "index does not link IE.html and ES.html"
fi

n=$(count "$tmp/IE.dom" '<svg class="thermometer"')
if [ "$n" -eq 1 ]; then ok "IE: the headline thermometer"; else bad "IE: $n thermometers, expected 1"; fi
if grep -q '<svg class="history-chart"' "$tmp/IE.dom"; then
	ok "IE: the history chart"
else
	bad "IE: no history chart"
fi
chart=$(sed -n '/<svg class="history-chart"/,/<\/svg>/p' "$tmp/IE.dom")
if [ "$(printf '%s' "$chart" | grep -o '<polyline' | wc -l)" -eq 5 ] &&
	printf '%s' "$chart" | grep -q '>2026-01-10<' && printf '%s' "$chart" | grep -q '>2026-02-10<'; then
	ok "IE: the chart draws 5 lines over both dates"
else
	bad "IE: the chart lacks its 5 lines or a date"
fi
missing=
for id in headline highlights snapshot dimensions gaps history coverage method; do
	grep -q "id=\"$id\"" "$tmp/IE.dom" || missing="$missing $id"
done
if [ -z "$missing" ]; then ok "IE: every section present"; else bad "IE: no section:$missing"; fi
if grep -q '&lt;script&gt;alert("x")&lt;/script&gt;' "$tmp/IE.dom" &&
	! grep -q 'href="javascript' "$tmp/IE.dom"; then
	ok "IE: the crawled <script> and javascript: link are shown as text"
else
	bad "IE: the hostile snippet is not inert text"
fi
if grep -q 'ie-register.html: cannot open' "$tmp/IE.dom"; then
	ok "IE: coverage names the unread source and why"
else
	bad "IE: coverage lacks the failed source's reason"
fi
if grep -q 'not a ranking' "$tmp/IE.dom"; then ok "IE: the disclaimer"; else bad "IE: no disclaimer"; fi

if [ "$failures" -ne 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
echo "report_browser: all checks passed"
