#!/bin/sh
# tests/demo.sh - the offline demo behind `make demo`.
#
# Runs the whole pipeline (crawl -> extract -> score, then the report) on the
# bundled corpus of tests/fixtures/demo/, twice, as if on two dates:
#   2026-01-15  the pages of run1/
#   2026-03-15  the same pages with run2/ laid over them (new funding in
#               Spain and Finland, a gap closed in Latvia, a pilot gone from
#               a German page, a draft definition in Poland)
# so that `history` and `diff` have something to show.  It builds nothing
# (make does), fetches nothing from the network, and opens nothing: it writes
# the database and the report and says where they are.
#
# The sources of config/demo.ini are file:// URLs into demo-out/corpus/, which
# this script fills with the pages of each date; the URLs stay the same from
# one run to the next, which is what lets evidence keep its identity.
#
# Environment:
#   MCT_DEMO_OUT  folder for the database and the report (default: demo-out)
#   MCTHERMO      the mcthermo binary (default: ./mcthermo)
#
# Exit: 0 when both runs and the report succeeded; otherwise non-zero with a
# message.  A run that exits 1 ("some sources failed") is a failure here:
# every demo source is a file in the repository.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out=${MCT_DEMO_OUT:-$top/demo-out}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$top"

bin=${MCTHERMO:-./mcthermo}
config=config/demo.ini
fixtures=tests/fixtures/demo
# Where config/demo.ini's file:// URLs point; fixed, whatever MCT_DEMO_OUT is.
corpus=demo-out/corpus
db="$out/demo.db"
report="$out/report"

fail() {
	echo "demo: $*" >&2
	exit 1
}

[ -x "$bin" ] || fail "$bin not found or not executable; build it first with make"
for r in run1 run2; do
	[ -d "$fixtures/$r" ] || fail "$fixtures/$r is missing"
done

mct() {
	"$bin" --config "$config" --db "$db" "$@"
}

# Two demos at once would stage their pages in the same corpus folder; the
# second waits for the first.
mkdir -p demo-out
if command -v flock >/dev/null 2>&1; then
	exec 9>demo-out/.demo.lock
	flock 9
fi

# stage_pages RUN...: the corpus as it stood at a date, each run laid over
# the previous one.
stage_pages() {
	rm -rf "$corpus"
	mkdir -p "$corpus"
	for r in "$@"; do
		cp "$fixtures/$r"/* "$corpus"/
	done
}

# run_date DATE: the nightly job, dated.
run_date() {
	n=$(find "$corpus" -type f | wc -l | tr -d ' ')
	echo "==> mcthermo run --date $1 ($n pages in $corpus)"
	rc=0
	mct run --date "$1" || rc=$?
	case $rc in
	0) ;;
	1)
		mct sources >&2 || true
		fail "run --date $1: some sources failed, but every demo source is a local file; see above"
		;;
	*) fail "run --date $1 failed with exit code $rc" ;;
	esac
	echo
}

echo "==> a fresh demo database: $db"
rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
rm -rf "$report"

stage_pages run1
run_date 2026-01-15
stage_pages run1 run2
run_date 2026-03-15

echo "==> mcthermo report --out $report"
rc=0
errs=$(mct report --out "$report" 2>&1 >/dev/null) || rc=$?
if [ "$rc" -ne 0 ]; then
	case $errs in
	*"not available in this build"*)
		echo "demo: the report command is not available in this build of mcthermo; skipping the report"
		report=""
		;;
	*)
		echo "$errs" >&2
		fail "report failed with exit code $rc"
		;;
	esac
fi
echo

echo "==> mcthermo readings"
mct readings
echo

echo "Demo database: $db"
if [ -n "$report" ]; then
	echo "Report:        $report/index.html"
fi
if [ "$db" = "$top/demo-out/demo.db" ]; then
	explore="$bin --config config/demo.ini"
else
	explore="$bin --config config/demo.ini --db $db"
fi
echo "Explore it:    $explore explain ES"
echo "               $explore diff LV 2026-01-15 2026-03-15"
