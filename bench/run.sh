#!/bin/sh
# bench/run.sh - the performance benchmarks behind `make bench`.
#
# Every comparison runs side by side in the same invocation, on the same
# machine, and is reported as a ratio (absolute times on a shared machine mean
# little), with the absolute figures next to it, in bench/results.md:
#
#   1. end to end   a generated site (bench/gen_corpus.py: 5,000 HTML pages of
#                   about 40 KB, 100 PDFs, one index page per country) served
#                   by nginx on 127.0.0.1; `mcthermo run` (fetch, text, rules,
#                   store, score) against `curl --parallel` fetching the same
#                   URLs to /dev/null (the machine's raw fetch rate) and
#                   against a Scrapy spider (bench/scrapy_spider.py) doing what
#                   mcthermo does in Python; peak RSS of the run.
#   2. incremental  the same run again over the unchanged site.
#   3. extraction   `mcthermo extract --all` (every stored text, the full rule
#                   set, one thread) against ripgrep searching the same texts,
#                   dumped to files, for the same patterns.
#   4. scoring      1,000,000 evidence rows in 40 countries written with SQL,
#                   then `mcthermo score`, then `mcthermo explain CC`.
#   5. storage      database bytes per stored page against raw bytes per page.
#
# Everything is loopback only and bounded: one random seed, fixed sizes,
# servers on 127.0.0.1 stopped and the work folder removed on exit (trap).
# The dependencies that only the benchmark needs (python3-scrapy, ripgrep,
# GNU time, nginx-light) are installed with apt-get when missing.
#
# Environment (all optional):
#   BENCH_PAGES=5000 BENCH_PDFS=100 BENCH_SEED=8   the generated site
#   BENCH_CONCURRENCY=8        transfers in flight for every crawler
#   BENCH_SCRAPY_SECONDS=60    the Scrapy spider crawls the same sources for at
#                              most this long; it is compared by pages per second
#   BENCH_RG_FILES=16          texts ripgrep searches with the full pattern set
#   BENCH_SCORE_ROWS=1000000   evidence rows of the scoring benchmark
#   BENCH_KEEP=1               keep the work folder
#   BENCH_RESULTS=FILE         where to write the results (bench/results.md)
#   MCTHERMO=FILE              the binary (./mcthermo)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
PY=/usr/bin/python3
BIN=${MCTHERMO:-$top/mcthermo}
PAGES=${BENCH_PAGES:-5000}
PDFS=${BENCH_PDFS:-100}
SEED=${BENCH_SEED:-8}
CONC=${BENCH_CONCURRENCY:-8}
SCRAPY_SECONDS=${BENCH_SCRAPY_SECONDS:-60}
RG_FILES=${BENCH_RG_FILES:-16}
SCORE_ROWS=${BENCH_SCORE_ROWS:-1000000}
RESULTS=${BENCH_RESULTS:-$top/bench/results.md}
DATE=2026-03-01

say() { printf '%s\n' "bench: $*" >&2; }
fail() {
	say "$*"
	exit 1
}

# ---- dependencies -------------------------------------------------------------

bench_deps() {
	missing=""
	$PY -c 'import scrapy' 2>/dev/null || missing="$missing python3-scrapy"
	command -v rg >/dev/null 2>&1 || missing="$missing ripgrep"
	[ -x /usr/bin/time ] || missing="$missing time"
	[ -x /usr/sbin/nginx ] || missing="$missing nginx-light"
	command -v curl >/dev/null 2>&1 || missing="$missing curl"
	command -v sqlite3 >/dev/null 2>&1 || missing="$missing sqlite3"
	[ -z "$missing" ] && return 0
	say "installing$missing"
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends $missing
}

bench_deps
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
[ -x "$BIN" ] || fail "$BIN not found; build it with make (make bench does)"
[ -x "$PY" ] || fail "$PY not found: the benchmark needs Debian's python3"

# ---- work folder, servers, cleanup ---------------------------------------------

work=$(mktemp -d "${TMPDIR:-/tmp}/mct-bench.XXXXXX")
nginx_pid=""
cleanup() {
	if [ -n "$nginx_pid" ]; then
		kill "$nginx_pid" 2>/dev/null || true
		wait "$nginx_pid" 2>/dev/null || true
	fi
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		say "work folder kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
	$PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_nginx() {
	port=$(free_port)
	mkdir -p "$work/nginx"
	user=""
	[ "$(id -u)" = 0 ] && user="user root;"
	cat >"$work/nginx/nginx.conf" <<EOF
$user
daemon off;
master_process off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  types { text/html html; application/pdf pdf; text/plain txt; }
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 60;
  keepalive_requests 1000000;
  etag on;
  server {
    listen 127.0.0.1:$port;
    root $site;
  }
}
EOF
	/usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
	nginx_pid=$!
	i=0
	until curl -fso /dev/null "http://127.0.0.1:$port/robots.txt"; do
		i=$((i + 1))
		[ $i -lt 50 ] || fail "nginx did not start: $(cat "$work/nginx/error.log" 2>/dev/null)"
		sleep 0.1
	done
	base="http://127.0.0.1:$port"
}

# ---- measuring -------------------------------------------------------------------

# timed NAME CMD...: run CMD with its output in $work/NAME.out/.err and
# record "wall_s cpu_s maxrss_kb exit" in $work/NAME.t.
timed() {
	name=$1
	shift
	t0=$(date +%s%N)
	rc=0
	/usr/bin/time -f '%U %S %M' -o "$work/$name.rt" "$@" >"$work/$name.out" 2>"$work/$name.err" ||
		rc=$?
	t1=$(date +%s%N)
	tail -n 1 "$work/$name.rt" | awk -v w="$(((t1 - t0) / 1000))" -v rc=$rc \
		'{ printf "%.6f %.2f %d %d\n", w / 1e6, $1 + $2, $3, rc }' >"$work/$name.t"
}
wall() { cut -d' ' -f1 "$work/$1.t"; }
cpu() { cut -d' ' -f2 "$work/$1.t"; }
rss_kb() { cut -d' ' -f3 "$work/$1.t"; }
status() { cut -d' ' -f4 "$work/$1.t"; }
# calc EXPR: awk arithmetic, printed with up to 4 significant decimals
calc() { awk "BEGIN { x = $1; printf \"%.4g\n\", x }"; }
fmt() { awk -v x="$1" -v d="${2:-2}" 'BEGIN { printf "%.*f\n", d, x }'; }
# verdict VALUE OP LIMIT: "met" or "**missed**"
verdict() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN {
	ok = (op == ">=") ? v >= l : v <= l
	print ok ? "met" : "**missed**" }'; }

must_succeed() {
	[ "$(status "$1")" = 0 ] && return 0
	say "$1 failed (exit $(status "$1")):"
	tail -n 20 "$work/$1.err" >&2
	tail -n 20 "$work/$1.out" >&2
	exit 1
}

# ---- 1. the site ---------------------------------------------------------------------

key=$(cat bench/gen_corpus.py | sha256sum | cut -c1-12)
site="$top/bench/out/site-$PAGES-$PDFS-$SEED-$key"
if [ ! -f "$site/manifest.json" ]; then
	say "generating the site ($PAGES pages, $PDFS PDFs, seed $SEED)"
	rm -rf "$top"/bench/out/site-*
	mkdir -p "$top/bench/out"
	$PY bench/gen_corpus.py --out "$site.tmp" --pages "$PAGES" --pdfs "$PDFS" --seed "$SEED" \
		>/dev/null
	mv "$site.tmp" "$site"
fi
manifest() { $PY -c "import json,sys; print(json.load(open('$site/manifest.json'))['$1'])"; }
countries=$($PY -c "import json; print(' '.join(json.load(open('$site/manifest.json'))['countries']))")
nurls=$(manifest urls)
raw_bytes=$(($(manifest html_bytes) + $(manifest pdf_bytes) + $(manifest index_bytes)))

say "exporting the rules' patterns"
$PY bench/rules_patterns.py rules/defs --rg-chunks "$work/rg" --python "$work/patterns.json" \
	>"$work/patterns.summary"

start_nginx
say "site served at $base"

# ---- 1a. curl --parallel: the raw fetch rate ----------------------------------------------

sed -e "s|^|url = \"$base|" -e 's|$|"\noutput = "/dev/null"|' "$site/urls.txt" >"$work/curl.cfg"
say "curl --parallel (warm-up, then 3 timed passes)"
curl --parallel --parallel-max "$CONC" -s -K "$work/curl.cfg" >/dev/null 2>&1
for i in 1 2 3; do
	timed "curl$i" curl --parallel --parallel-max "$CONC" -s -K "$work/curl.cfg" -w '%{http_code}\n'
	must_succeed "curl$i"
	[ "$(grep -c '^200$' "$work/curl$i.out")" = "$nurls" ] || fail "curl did not get $nurls pages"
done
# The median of the three passes.
curl_wall=$(for i in 1 2 3; do wall "curl$i"; done | sort -n | sed -n 2p)

# ---- 1b. mcthermo run, twice ------------------------------------------------------------

sources_ini() { # COUNTRY...
	for cc in "$@"; do
		lc=$(printf '%s' "$cc" | tr 'A-Z' 'a-z')
		cat <<EOF
[source:$lc-bench]
country = $cc
kind = policy
url = $base/$lc/index.html
depth = 1
follow = ^http://127\\.0\\.0\\.1:$port/$lc/
max_pages = 100000
EOF
	done
}
cat >"$work/bench.ini" <<EOF
[store]
path = $work/run.db
[rules]
path = $top/rules/defs
[crawler]
user_agent = mcthermo-bench/1.0
concurrency = $CONC
per_host_connections = $(($CONC < 16 ? $CONC : 16))
per_host_delay_ms = 0
timeout_s = 60
max_body_bytes = 20M
max_pages = 100000
retries = 0
deny_private_networks = no
$(sources_ini $countries)
EOF

say "mcthermo run (first night)"
timed run1 "$BIN" --config "$work/bench.ini" run --date "$DATE"
must_succeed run1
captured=$(sqlite3 "$work/run.db" "SELECT count(*) FROM captures WHERE outcome = 'new'")
[ "$captured" = "$nurls" ] || fail "mcthermo stored $captured new captures, expected $nurls"
evidence=$(sqlite3 "$work/run.db" "SELECT count(*) FROM evidence")

# ---- 5. storage, right after the first run ---------------------------------------------

sqlite3 "$work/run.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
db_bytes=$(sqlite3 "$work/run.db" "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size")
stored_pages=$(sqlite3 "$work/run.db" "SELECT count(*) FROM bodies")
body_blob=$(sqlite3 "$work/run.db" "SELECT sum(length(data)) FROM bodies")
text_blob=$(sqlite3 "$work/run.db" "SELECT sum(length(data)) FROM texts")

say "mcthermo run (second night, nothing changed)"
timed run2 "$BIN" --config "$work/bench.ini" run --date "$DATE"
must_succeed run2
unchanged=$(sqlite3 "$work/run.db" "SELECT count(*) FROM captures WHERE outcome = 'unchanged' AND run_id = (SELECT max(id) FROM runs)")
[ "$unchanged" = "$nurls" ] || fail "second run: $unchanged unchanged captures, expected $nurls"

# ---- 1c. the Scrapy spider ----------------------------------------------------------------

starts=$(for cc in $countries; do printf '%s/%s/index.html,' "$base" "$(echo "$cc" | tr 'A-Z' 'a-z')"; done)
say "Scrapy spider (the same sources, for at most $SCRAPY_SECONDS s)"
timed scrapy $PY -m scrapy runspider bench/scrapy_spider.py \
	-a starts="$starts" -a follow="^http://127\\.0\\.0\\.1:$port/[a-z]{2}/" \
	-a patterns="$work/patterns.json" -a db="$work/scrapy.db" \
	-s CONCURRENT_REQUESTS="$CONC" -s CONCURRENT_REQUESTS_PER_DOMAIN="$CONC" \
	-s DOWNLOAD_DELAY=0 -s ROBOTSTXT_OBEY=True -s COOKIES_ENABLED=False \
	-s RETRY_ENABLED=False -s TELNETCONSOLE_ENABLED=False -s AUTOTHROTTLE_ENABLED=False \
	-s CLOSESPIDER_TIMEOUT="$SCRAPY_SECONDS" -s LOG_LEVEL=WARNING
must_succeed scrapy
scrapy_pages=$(sqlite3 "$work/scrapy.db" "SELECT count(*) FROM pages")
[ "$scrapy_pages" -gt 0 ] || fail "Scrapy stored no page"
scrapy_matches=$(sqlite3 "$work/scrapy.db" "SELECT count(*) FROM matches")

# ---- 3. extraction against ripgrep -------------------------------------------------------

say "mcthermo extract --all"
timed extract "$BIN" --config "$work/bench.ini" extract --all
must_succeed extract
# What every extract pays before its first text: loading the rules.
timed rulesload "$BIN" --config "$work/bench.ini" rules list
must_succeed rulesload
text_bytes=$(sqlite3 "$work/run.db" "SELECT sum(size) FROM texts")

say "ripgrep over the same texts"
$PY bench/dump_texts.py "$work/run.db" "$work/texts" >"$work/dump.summary"
# The full pattern set, over a fixed sample of the texts (ripgrep needs
# minutes per megabyte with it); compile time (the same run over an empty
# file) is subtracted.
mkdir -p "$work/rgsample"
find "$work/texts" -type f | sort | head -n "$RG_FILES" | xargs -I{} cp {} "$work/rgsample/"
rg_sample_bytes=$(cat "$work/rgsample"/* | wc -c)
: >"$work/empty.txt"
cat >"$work/rg_all.sh" <<EOF
# One single-threaded ripgrep pass per pattern file over \$1 (exit 1: no match).
for p in "$work"/rg/pat-*.txt; do
	rg -P -i -j1 -c -f "\$p" "\$1" || [ \$? = 1 ] || exit 2
done
EOF
timed rgfull sh "$work/rg_all.sh" "$work/rgsample"
must_succeed rgfull
timed rgcompile sh "$work/rg_all.sh" "$work/empty.txt"
must_succeed rgcompile
rg_full_s=$(calc "$(wall rgfull) - $(wall rgcompile)")
# For scale: only the MC vocabulary (the first pattern lines), every text.
$PY bench/rules_patterns.py rules/defs --rg "$work/all.txt" >/dev/null
nmc=$($PY -c "import json; print(json.load(open('$work/patterns.summary'))['mc_patterns'])")
head -n "$nmc" "$work/all.txt" >"$work/mc.txt"
timed rgmc sh -c "rg -P -i -j1 -c -f '$work/mc.txt' '$work/texts' || [ \$? = 1 ]"
must_succeed rgmc

nginx_stop() {
	kill "$nginx_pid" 2>/dev/null || true
	wait "$nginx_pid" 2>/dev/null || true
	nginx_pid=""
}
nginx_stop

# ---- 4. scoring ----------------------------------------------------------------------

say "scoring: $SCORE_ROWS evidence rows in 40 countries"
score_cc="AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS NO LI CH GB UA MD RS ME MK AL TR BA"
kinds="policy qa platform he news"
{
	cat <<EOF
[store]
path = $work/score.db
[rules]
path = $top/rules/defs
EOF
	for cc in $score_cc; do
		k=0
		for kind in $kinds; do
			lc=$(printf '%s' "$cc" | tr 'A-Z' 'a-z')
			printf '[source:%s-%s-%d]\ncountry = %s\nkind = %s\nurl = http://127.0.0.1:9/%s/%d\n' \
				"$lc" "$kind" "$k" "$cc" "$kind" "$lc" "$k"
			k=$((k + 1))
		done
	done
} >"$work/score.ini"
# An empty database with the current schema.
"$BIN" --config "$work/score.ini" score --date 2026-01-01 >/dev/null
indicators=$(grep -o '{"[a-z]*\.[a-z_]*"' rules/indicators.c | tr -d '{"')
{
	echo "PRAGMA synchronous = OFF; BEGIN;"
	echo "CREATE TEMP TABLE cc (i INTEGER PRIMARY KEY, code TEXT);"
	i=0
	for cc in $score_cc; do
		echo "INSERT INTO cc VALUES ($i, '$cc');"
		i=$((i + 1))
	done
	echo "CREATE TEMP TABLE ind (i INTEGER PRIMARY KEY, id TEXT, dim TEXT);"
	i=0
	for ind in $indicators; do
		echo "INSERT INTO ind VALUES ($i, '$ind', '${ind%%.*}');"
		i=$((i + 1))
	done
	echo "INSERT INTO runs (id, command, started_at, finished_at, status)"
	echo "  VALUES (1000, 'bench', '2026-02-01T00:00:00Z', '2026-02-01T00:10:00Z', 'ok');"
	# Sources in config order, so that source rowid = country * 5 + kind + 1;
	# one in seven failed its last fetch.
	n=0
	for cc in $score_cc; do
		k=0
		for kind in $kinds; do
			n=$((n + 1))
			lc=$(printf '%s' "$cc" | tr 'A-Z' 'a-z')
			st=ok
			[ $((n % 7)) = 0 ] && st=failed
			echo "INSERT INTO sources (rowid, id, country, kind, url, enabled, last_run, last_fetch, last_status) VALUES ($n, '$lc-$kind-$k', '$cc', '$kind', 'http://127.0.0.1:9/$lc/$k', 1, 1000, '2026-02-01T00:00:00Z', '$st');"
			k=$((k + 1))
		done
	done
	cat <<EOF
INSERT INTO captures (id, run_id, source_id, url, fetched_at, outcome)
  SELECT rowid, 1000, id, url, '2026-02-01T00:00:00Z', 'new' FROM sources ORDER BY rowid;
INSERT INTO rules (id, version, dimension, indicator, weight, definition, first_loaded, current)
  SELECT 'bench.' || id, 'bench', dim, id, 3, 'bench', '2026-01-01T00:00:00Z', 1 FROM ind;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $SCORE_ROWS),
r AS (SELECT i, i % 40 AS c, (i / 40) % 5 AS k,
  (((i / 40) * 2654435761) >> 11) % (SELECT count(*) FROM ind) AS d FROM n)
INSERT INTO evidence (id, ekey, capture_id, source_id, url, rule_id, rule_version, country,
  dimension, indicator, polarity, weight, match, snippet, sentence_key, offset_start,
  offset_end, page, first_seen, last_seen, first_run, last_run, state)
SELECT r.i + 1, 'bench:' || r.i, s.rowid, s.id, s.url || '/page' || (r.i % 997), 'bench.' || ind.id,
  'bench', cc.code, ind.dim, ind.id,
  CASE WHEN (r.i * 31) % 10 = 0 THEN 'negative' ELSE 'positive' END,
  1 + r.i % 5, 'micro-credentials',
  'Sentence ' || r.i || ' of the benchmark: the ministry funds micro-credentials in ' || cc.code || '.',
  printf('%064x', (r.i * 7919) % ($SCORE_ROWS * 7 / 10)), 0, 17, 1,
  strftime('%Y-%m-%dT00:00:00Z', '2023-01-01', '+' || ((r.i * 37) % 1100) || ' days'),
  '2026-02-01T00:00:00Z', 1000, 1000,
  CASE WHEN r.i % 20 = 7 THEN 'gone' ELSE 'active' END
FROM r JOIN cc ON cc.i = r.c JOIN ind ON ind.i = r.d
JOIN sources s ON s.rowid = r.c * 5 + r.k + 1;
INSERT INTO reviews (evidence_id, verdict, by, at)
  SELECT id, CASE WHEN ((id * 2654435761) >> 13) % 5 = 0 THEN 'rejected' ELSE 'confirmed' END,
  'bench', '2026-02-02T00:00:00Z' FROM evidence WHERE ((id * 40503) >> 3) % 50 = 0;
COMMIT;
EOF
} >"$work/score.sql"
timed scoresetup sqlite3 "$work/score.db" ".read $work/score.sql"
must_succeed scoresetup
score_rows=$(sqlite3 "$work/score.db" "SELECT count(*) FROM evidence")
[ "$score_rows" = "$SCORE_ROWS" ] || fail "scoring database has $score_rows evidence rows"
say "mcthermo score"
timed score "$BIN" --config "$work/score.ini" score --date "$DATE"
must_succeed score
explain_cc=$(sqlite3 "$work/score.db" "SELECT country FROM evidence GROUP BY country ORDER BY count(*) DESC, country LIMIT 1")
explain_rows=$(sqlite3 "$work/score.db" "SELECT count(*) FROM reading_evidence WHERE reading_id = (SELECT id FROM readings WHERE country = '$explain_cc' AND date = '$DATE')")
say "mcthermo explain $explain_cc (5 times)"
for i in 1 2 3 4 5; do
	timed "explain$i" "$BIN" --config "$work/score.ini" explain "$explain_cc" --date "$DATE"
	must_succeed "explain$i"
done
explain_wall=$(for i in 1 2 3 4 5; do wall "explain$i"; done | sort -n | sed -n 3p)

# ---- results ------------------------------------------------------------------------

say "writing $RESULTS"
n_run=$nurls
mct_rate=$(calc "$n_run / $(wall run1)")
curl_rate=$(calc "$n_run / $curl_wall")
scrapy_rate=$(calc "$scrapy_pages / $(wall scrapy)")
r_scrapy=$(calc "$mct_rate / $scrapy_rate")
r_curl=$(calc "$mct_rate / $curl_rate")
rss_mb=$(calc "$(rss_kb run1) / 1024")
r_incr=$(calc "$(wall run2) / $(wall run1)")
ext_mbs=$(calc "$text_bytes / 1e6 / $(wall extract)")
rg_mbs=$(calc "$rg_sample_bytes / 1e6 / $rg_full_s")
rgmc_mbs=$(calc "$text_bytes / 1e6 / $(wall rgmc)")
r_rg=$(calc "$ext_mbs / $rg_mbs")
r_rgmc=$(calc "$ext_mbs / $rgmc_mbs")
db_per_page=$(calc "$db_bytes / $stored_pages")
raw_per_page=$(calc "$raw_bytes / $nurls")
r_store=$(calc "$db_per_page / $raw_per_page")
cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')

cat >"$RESULTS" <<EOF
# mcthermo benchmark results

Written by \`make bench\` (bench/run.sh) on $(date -u +%Y-%m-%dT%H:%M:%SZ), commit
$(git rev-parse --short HEAD 2>/dev/null || echo unknown).
Machine: $(nproc) CPUs, $cpu_model; $(uname -sr); load average before the
run $load_before. Every ratio below compares two
figures measured in this same run.

| benchmark | mcthermo | compared with | ratio | target | |
| --- | --- | --- | --- | --- | --- |
| end to end vs Scrapy | $(fmt "$mct_rate" 0) pages/s | $(fmt "$scrapy_rate" 1) pages/s | $(fmt "$r_scrapy" 2)× | ≥ 10× | $(verdict "$r_scrapy" ">=" 10) |
| end to end vs curl --parallel | $(fmt "$mct_rate" 0) pages/s | $(fmt "$curl_rate" 0) pages/s | $(fmt "$r_curl" 4)× | ≥ 0.25× | $(verdict "$r_curl" ">=" 0.25) |
| peak RSS of \`run\` | $(fmt "$rss_mb" 1) MB | | | < 100 MB | $(verdict "$rss_mb" "<=" 100) |
| incremental run | $(fmt "$(wall run2)" 2) s | first run $(fmt "$(wall run1)" 2) s | $(fmt "$r_incr" 3)× | ≤ 0.10× | $(verdict "$r_incr" "<=" 0.10) |
| extraction vs ripgrep (same patterns) | $(fmt "$ext_mbs" 2) MB/s | $(fmt "$rg_mbs" 4) MB/s | $(fmt "$r_rg" 1)× | ≥ 0.5× | $(verdict "$r_rg" ">=" 0.5) |
| extraction vs ripgrep (MC vocabulary only) | $(fmt "$ext_mbs" 2) MB/s | $(fmt "$rgmc_mbs" 1) MB/s | $(fmt "$r_rgmc" 3)× | (for scale) | |
| scoring $SCORE_ROWS rows | $(fmt "$(wall score)" 2) s | | | ≤ 2 s | $(verdict "$(wall score)" "<=" 2) |
| explain $explain_cc ($explain_rows evidence rows) | $(fmt "$(calc "$explain_wall * 1000")" 0) ms | | | ≤ 100 ms | $(verdict "$explain_wall" "<=" 0.1) |
| storage per page | $(fmt "$db_per_page" 0) bytes | raw $(fmt "$raw_per_page" 0) bytes | $(fmt "$r_store" 3)× | ≤ 0.5× | $(verdict "$r_store" "<=" 0.5) |

## End to end

Site: $(manifest html_pages) HTML pages ($(manifest html_pages_with_mc) with micro-credential
sentences), $(manifest pdfs) PDFs, $(manifest index_pages) index pages; $nurls URLs,
$(calc "$raw_bytes / 1e6") MB; seed $SEED. nginx (one worker) on 127.0.0.1, every client
at $CONC transfers in flight (mcthermo: concurrency = $CONC, per_host_connections =
$(($CONC < 16 ? $CONC : 16)), per_host_delay_ms = 0; Scrapy: CONCURRENT_REQUESTS and
CONCURRENT_REQUESTS_PER_DOMAIN = $CONC, no delay).

| run | URLs | wall s | CPU s | peak RSS MB | pages/s |
| --- | --- | --- | --- | --- | --- |
| curl --parallel (median of 3) | $nurls | $(fmt "$curl_wall" 3) | $(cpu curl2) | $(calc "$(rss_kb curl2) / 1024") | $(fmt "$curl_rate" 0) |
| mcthermo run, first night | $nurls | $(fmt "$(wall run1)" 2) | $(cpu run1) | $(fmt "$rss_mb" 1) | $(fmt "$mct_rate" 0) |
| mcthermo run, second night | $nurls | $(fmt "$(wall run2)" 2) | $(cpu run2) | $(calc "$(rss_kb run2) / 1024") | $(fmt "$(calc "$n_run / $(wall run2)")" 0) |
| Scrapy spider (stopped after $SCRAPY_SECONDS s) | $scrapy_pages of $nurls | $(fmt "$(wall scrapy)" 2) | $(cpu scrapy) | $(calc "$(rss_kb scrapy) / 1024") | $(fmt "$scrapy_rate" 1) |

The machine is shared (load average $load_before before the run, $(cut -d' ' -f1-3 /proc/loadavg)
after), so wall times include waiting for a CPU. Per CPU-second of the
process itself: mcthermo $(fmt "$(calc "$n_run / $(cpu run1)")" 0) pages, curl $(fmt "$(calc "$n_run / $(cpu curl2)")" 0), Scrapy
$(fmt "$(calc "$scrapy_pages / $(cpu scrapy)")" 1) (ratios $(fmt "$(calc "($n_run / $(cpu run1)) / ($scrapy_pages / $(cpu scrapy))")" 1)× Scrapy, $(fmt "$(calc "($n_run / $(cpu run1)) / ($n_run / $(cpu curl2))")" 4)× curl; nginx's own CPU
is not counted in either).

mcthermo's first run found $evidence pieces of evidence; the spider stored
$scrapy_matches rule matches. Summaries printed by the runs:

\`\`\`
$(grep -E '^(crawl|extract):' "$work/run1.out")
$(grep -E '^(crawl|extract):' "$work/run2.out")
\`\`\`

The Scrapy spider (bench/scrapy_spider.py) crawls the same sources (index
pages, then the pages they link) and is stopped after $SCRAPY_SECONDS s
(CLOSESPIDER_TIMEOUT: in Python, every page costs it tens of milliseconds of
regular expressions, and the whole site would take many minutes); it is
compared by pages per second.  It obeys robots.txt, takes the visible text,
runs the same rule patterns translated to Python \`re\` on the sentences that
name micro-credentials (and the context = none rules on every sentence) and
writes pages and matches to SQLite.

## Extraction

\`mcthermo extract --all\` re-applied $(sed -n 's/.*"rules": \([0-9]*\).*/\1/p' "$work/patterns.summary") rules to $(calc "$text_bytes / 1e6") MB of
stored text in $(fmt "$(wall extract)" 2) s (one thread, reading and writing the
database included; $(fmt "$(wall rulesload)" 2) s of it is loading and compiling the rules,
as \`mcthermo rules list\` takes): $(fmt "$ext_mbs" 2) MB/s; $(cpu extract) s of CPU.

ripgrep ($(rg --version | sed -n 1p)) searched the same texts, dumped to
files, for the same patterns: every alternative of the MC vocabulary and
every rule pattern, with the defines expanded ($(sed -n 's/.*"rg_chunks": \([0-9]*\).*/\1/p' "$work/patterns.summary") pattern files). The
rules are written in PCRE2 (look-behind, \\x{...}, (?-i:...)), so ripgrep runs
with \`-P -i\` (PCRE2 with JIT, case-insensitive, Unicode), \`-j1\`, and \`-c\`.
PCRE2 in Debian limits a compiled pattern to 64 KiB and ripgrep joins a
file's patterns into one, so the pattern set is split into files that each
compile (the way mcthermo splits its own unions), one ripgrep pass per file.
With the whole set ripgrep needs minutes per megabyte (no literal prefix to
skip ahead with: every position tries every alternative), so it searches a
fixed sample of $RG_FILES texts ($(calc "$rg_sample_bytes / 1e6") MB) and its time over an empty file
(pattern compilation) is subtracted: $(fmt "$rg_full_s" 2) s, $(fmt "$rg_mbs" 4) MB/s.
For scale, ripgrep with only the $nmc MC vocabulary patterns over every text:
$(fmt "$(wall rgmc)" 2) s, $(fmt "$rgmc_mbs" 1) MB/s. (Translating the patterns to ripgrep's
default engine instead is not an option: it has no look-around, and the
Unicode-aware union of every rule needs gigabytes and many minutes to
compile.)

## Scoring

$score_rows evidence rows (40 countries, 5 sources each, $(echo $indicators | wc -w)
indicators, 5% gone, 2% reviewed) written with SQL in $(fmt "$(wall scoresetup)" 1) s, then:

| command | wall s | CPU s | peak RSS MB |
| --- | --- | --- | --- |
| mcthermo score | $(fmt "$(wall score)" 3) | $(cpu score) | $(calc "$(rss_kb score) / 1024") |
| mcthermo explain $explain_cc (median of 5) | $(fmt "$explain_wall" 3) | $(cpu explain3) | $(calc "$(rss_kb explain3) / 1024") |

## Storage

After the first run the database holds $stored_pages bodies in $(calc "$db_bytes / 1e6") MB
(bodies $(calc "$body_blob / 1e6") MB and texts $(calc "$text_blob / 1e6") MB compressed, the rest
captures, evidence, readings and indexes): $(fmt "$db_per_page" 0) bytes per stored
page against $(fmt "$raw_per_page" 0) raw bytes per page.
EOF
say "done: $RESULTS"
cat "$RESULTS"
