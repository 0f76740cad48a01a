#!/bin/sh
# Build every fuzz target (fuzz/*_fuzzer.c) with clang's libFuzzer and the
# sanitizers, then run each for SECONDS (default 60) on a copy of its seed
# corpus (fuzz/corpus/<name>/).  Crashes are written to build-fuzz/crashes/
# and make the script fail; keep each one as a regression input.
#   sh fuzz/run.sh [SECONDS] [TARGET...]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
secs=${1:-60}
[ $# -gt 0 ] && shift
out=build-fuzz
mkdir -p "$out/obj" "$out/crashes"
pkgs="libcurl libxml-2.0 libpcre2-8 sqlite3 inih libzstd libcrypto poppler-glib libutf8proc"
cflags="-std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer-no-link,address,undefined $(pkg-config --cflags $pkgs)"
libs="$(pkg-config --libs $pkgs) -lm -lpthread"
objs=""
# An object is rebuilt when its source or any header is newer than it.
newest_header=$(ls -t common/*.h config/*.h store/*.h crawler/*.h rules/*.h extract/*.h 2>/dev/null | head -n 1)
for src in common/*.c config/*.c store/*.c crawler/*.c rules/*.c extract/*.c; do
	[ -f "$src" ] || continue
	obj="$out/obj/$(echo "$src" | tr / _ | sed 's/\.c$/.o/')"
	if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_header" -nt "$obj" ]; then
		clang $cflags -c "$src" -o "$obj"
	fi
	objs="$objs $obj"
done
targets=${*:-$(ls fuzz/*_fuzzer.c | sed 's|fuzz/||; s|_fuzzer\.c$||')}
failed=0
for t in $targets; do
	bin="$out/${t}_fuzzer"
	clang $cflags -fsanitize=fuzzer "fuzz/${t}_fuzzer.c" $objs $libs -o "$bin"
	work="$out/corpus/$t"
	mkdir -p "$work"
	[ -d "fuzz/corpus/$t" ] && cp -r "fuzz/corpus/$t/." "$work/"
	echo "=== fuzz $t for ${secs}s"
	if ! ASAN_OPTIONS=detect_leaks=1 "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$out/crashes/${t}-" -print_final_stats=1 "$work" 2>"$out/$t.log"; then
		failed=$((failed + 1))
		tail -40 "$out/$t.log"
		echo "*** fuzz target $t failed; inputs in $out/crashes/"
	else
		grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$out/$t.log" || true
	fi
done
[ "$failed" -eq 0 ]
