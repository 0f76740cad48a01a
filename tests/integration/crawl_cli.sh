#!/bin/sh
# tests/integration/crawl_cli.sh - `mcthermo crawl` and `mcthermo sources`
# as a user runs them: exit codes, the summary, the table and the JSON, the
# run lock, and SIGINT.  The crawler's behaviour in detail is tested by the
# cmocka suites test_crawl_*; this pins the command line around it.
#
# Needs $MCTHERMO (the binary) and $MCT_TOOLS (faultd), as tests/run.sh sets
# them; python3 and sqlite3 check the JSON and the database.
set -u
: "${MCTHERMO:?set MCTHERMO to the mcthermo binary}"
: "${MCT_TOOLS:?set MCT_TOOLS to the folder holding faultd}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcthermo-crawl-cli-XXXXXX")
faultd_pid=
bg_pid=
cleanup() {
	[ -n "$bg_pid" ] && kill "$bg_pid" 2>/dev/null && wait "$bg_pid" 2>/dev/null
	[ -n "$faultd_pid" ] && kill "$faultd_pid" 2>/dev/null && wait "$faultd_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

"$MCT_TOOLS/faultd" -l "$tmp/requests.log" >"$tmp/port" &
faultd_pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
port=$(cat "$tmp/port")
[ -n "$port" ] || { echo "faultd did not start"; exit 1; }
base="http://127.0.0.1:$port"

cat >"$tmp/mcthermo.ini" <<EOF
[store]
path = crawl.db

[crawler]
timeout_s = 2
retries = 0
per_host_delay_ms = 0

[source:good]
country = LV
kind = policy
url = $base/page/good

[source:bad]
country = ES
kind = qa
url = $base/fail503

[source:hung]
country = ES
kind = news
url = $base/timeout
enabled = no
EOF
# The same sources with the hanging one enabled, for the lock and SIGINT.
sed 's/^enabled = no$/enabled = yes/' "$tmp/mcthermo.ini" >"$tmp/all.ini"

mct() { "$MCTHERMO" --config "$tmp/mcthermo.ini" "$@"; }
passed=0
failed=0
fail() {
	echo "FAIL: $current: $*"
	failed=$((failed + 1))
	ok=0
}
begin() {
	current=$1
	ok=1
}
end() {
	[ $ok -eq 1 ] && passed=$((passed + 1)) && echo "ok: $current"
}
# expect_exit WANT CMD...: run CMD, keep its output in $tmp/out and $tmp/err
expect_exit() {
	want=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" -eq "$want" ] || fail "exit $got, expected $want; stderr: $(cat "$tmp/err")"
}
contains() { grep -qF -- "$2" "$1" || fail "'$2' not in $1: $(cat "$1")"; }

begin sources_before_the_first_run_say_never_fetched
expect_exit 0 mct sources
contains "$tmp/out" "good  LV  policy    never fetched"
contains "$tmp/out" "hung  ES  news      disabled"
[ ! -e "$tmp/crawl.db" ] || fail "listing sources created the database"
end

begin sources_json_before_the_first_run_has_null_status
expect_exit 0 mct sources --json
python3 - "$tmp/out" <<'EOF' || fail "bad JSON: $(cat "$tmp/out")"
import json, sys
rows = json.load(open(sys.argv[1]))
assert [r["id"] for r in rows] == ["good", "bad", "hung"], rows
for r in rows:
    assert sorted(r) == sorted(["id", "country", "kind", "url", "last_fetch",
                                "last_status", "last_error"]), r
    assert r["last_status"] is None and r["last_fetch"] is None and r["last_error"] is None
assert rows[1]["country"] == "ES" and rows[1]["kind"] == "qa"
EOF
end

begin crawl_exits_1_and_names_the_failed_source
expect_exit 1 mct crawl
contains "$tmp/out" "crawl: 2 sources: 1 ok, 1 failed; pages: 1 new, 0 changed, 0 unchanged, 1 failed, 0 skipped;"
contains "$tmp/out" "  bad failed: HTTP 503"
[ "$(sqlite3 "$tmp/crawl.db" "SELECT status FROM runs ORDER BY id DESC LIMIT 1")" = partial ] ||
	fail "the run is not recorded as partial"
end

begin sources_show_the_last_status_and_error
expect_exit 0 mct sources
contains "$tmp/out" "bad   ES  qa        failed"
contains "$tmp/out" "HTTP 503"
grep "^good " "$tmp/out" | grep -q " ok " || fail "good is not ok: $(cat "$tmp/out")"
end

begin sources_json_after_a_crawl_carries_status_error_and_time
expect_exit 0 mct sources --json
python3 - "$tmp/out" <<'EOF' || fail "bad JSON: $(cat "$tmp/out")"
import json, re, sys
rows = {r["id"]: r for r in json.load(open(sys.argv[1]))}
assert rows["bad"]["last_status"] == "failed" and rows["bad"]["last_error"] == "HTTP 503"
assert rows["good"]["last_status"] == "ok" and rows["good"]["last_error"] is None
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", rows["good"]["last_fetch"])
assert rows["hung"]["last_status"] is None
EOF
end

begin sources_country_filter
expect_exit 0 mct sources --country es
grep -q "^good " "$tmp/out" && fail "LV source listed for --country es"
contains "$tmp/out" "bad "
expect_exit 2 mct sources --country QQ
contains "$tmp/err" "unknown country code"
end

begin crawl_exits_0_when_every_source_is_fetched
expect_exit 0 mct crawl --source good
contains "$tmp/out" "crawl: 1 source: 1 ok, 0 failed; pages: 0 new, 0 changed, 1 unchanged"
end

begin crawl_quiet_prints_nothing_and_verbose_prints_each_fetch
expect_exit 0 mct -q crawl --source good
[ ! -s "$tmp/out" ] || fail "-q printed: $(cat "$tmp/out")"
expect_exit 0 mct -v crawl --source good
contains "$tmp/err" "good  unchanged  $base/page/good"
end

begin crawl_unknown_or_disabled_source_is_a_usage_error
expect_exit 2 mct crawl --source nope
contains "$tmp/err" "unknown source 'nope'"
expect_exit 2 mct crawl --source hung
contains "$tmp/err" "source 'hung' is disabled"
expect_exit 2 mct crawl --bogus
end

begin crawl_while_another_run_holds_the_database_exits_4
"$MCTHERMO" --config "$tmp/all.ini" crawl --source hung >/dev/null 2>&1 &
bg_pid=$!
sleep 0.5
expect_exit 4 "$MCTHERMO" --config "$tmp/all.ini" crawl --source good
contains "$tmp/err" "another mcthermo run is using this database"
# readers do not need the lock
expect_exit 0 "$MCTHERMO" --config "$tmp/all.ini" sources
wait "$bg_pid"
bg_pid=
end

begin crawl_interrupted_by_sigint_exits_5
"$MCTHERMO" --config "$tmp/all.ini" crawl --source hung >"$tmp/out" 2>"$tmp/err" &
bg_pid=$!
sleep 0.5
kill -INT "$bg_pid"
wait "$bg_pid"
got=$?
bg_pid=
[ "$got" -eq 5 ] || fail "exit $got after SIGINT, expected 5"
contains "$tmp/err" "crawl interrupted"
[ "$(sqlite3 "$tmp/crawl.db" "SELECT status FROM runs ORDER BY id DESC LIMIT 1")" = interrupted ] ||
	fail "the run is not recorded as interrupted"
end

echo "crawl_cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
