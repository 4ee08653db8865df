#!/bin/sh
# Runs every test suite and prints the totals. Each suite prints one line per test:
# "PASS name", "FAIL name[: why]" or "SKIP name: why"; xunit's summary is counted too.
cd "$(dirname "$0")/.." || exit 1
log=build/test-results.txt
mkdir -p build
: >"$log"
for suite in compat-tests/suites/*.sh; do
	echo "== $suite"
	sh "$suite" 2>&1 | tee -a "$log"
done
pass=$(grep -c '^PASS ' "$log")
fail=$(grep -c '^FAIL ' "$log")
skip=$(grep -c '^SKIP ' "$log")
# xunit summaries: "Passed!  - Failed:     0, Passed:   123, Skipped:     0, Total: ..."
xp=$(sed -n 's/.*Failed: *\([0-9]*\), Passed: *\([0-9]*\), Skipped: *\([0-9]*\).*/\2/p' "$log" | awk '{s+=$1} END {print s+0}')
xf=$(sed -n 's/.*Failed: *\([0-9]*\), Passed: *\([0-9]*\), Skipped: *\([0-9]*\).*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
xs=$(sed -n 's/.*Failed: *\([0-9]*\), Passed: *\([0-9]*\), Skipped: *\([0-9]*\).*/\3/p' "$log" | awk '{s+=$1} END {print s+0}')
pass=$((pass + xp)); fail=$((fail + xf)); skip=$((skip + xs))
grep '^FAIL ' "$log" | head -50
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
