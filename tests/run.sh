#!/bin/sh
# Runs every test: the cmocka unit tests, the integration scripts, and the
# examples of the shipped rules.  Prints one summary line and exits non-zero
# when anything failed.
#   O=build sh tests/run.sh [PATTERN]
O=${O:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
export MCTHERMO="$top/$O/mcthermo" MCT_TOP="$top" MCT_TOOLS="$top/$O/tools"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$top/tests/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
pattern=${1:-}
passed=0
failed=0
failures=""

run_one() {
	name=$1
	shift
	case "$name" in *"$pattern"*) ;; *) return ;; esac
	echo "=== $name"
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures="$failures $name"
		echo "*** FAILED: $name"
	fi
}

cd "$top" || exit 1
for t in "$O"/tests/test_*; do
	[ -x "$t" ] || continue
	run_one "unit/$(basename "$t")" "$t"
done
for t in tests/integration/*.sh; do
	[ -f "$t" ] || continue
	run_one "integration/$(basename "$t" .sh)" sh "$t"
done
run_one "rules/check" "$MCTHERMO" --config config/mcthermo.ini rules check

echo
[ -n "$failures" ] && echo "failed:$failures"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
