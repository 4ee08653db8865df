#!/bin/sh
# run-case.sh MODE TESTDIR NAME INPUT EXPECTED ARGS: one case of tcpdump's own regression suite, run as
# tcpdump's suite runs it (../shared/compat/tcpdump-4.99.3/README), on our library loaded by MODE
# ("preload": LD_PRELOAD; "libpath": LD_LIBRARY_PATH only). Prints one PASS/FAIL/SKIP line.
mode=$1 testdir=$2 name=$3 input=$4 expected=$5 args=$6
lib=$(cd "$(dirname "$0")/../../build/lib" && pwd)
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
args=$(printf '%s' "$args" | sed "s|@TESTDIR@|$testdir|g")
eval "set -- $args"
if [ "$mode" = preload ]; then
	env TZ=GMT0 LC_ALL=C LD_PRELOAD="$lib/libpcap.so.1" timeout 20 tcpdump -# -n -r "$testdir/$input" "$@" </dev/null >"$out" 2>"$err"
else
	env TZ=GMT0 LC_ALL=C LD_LIBRARY_PATH="$lib" timeout 20 tcpdump -# -n -r "$testdir/$input" "$@" </dev/null >"$out" 2>"$err"
fi
status=$?
if [ $status -eq 0 ] && cmp -s "$out" "$testdir/$expected"; then
	echo "PASS tcpdump-$mode/$name"
elif [ $status -ne 0 ] && grep -qE 'not built yet|not supported by this compiler yet' "$err"; then
	# Only while our pcap_compile still refuses the expression (the filter-compiler issue).
	echo "SKIP tcpdump-$mode/$name: needs the filter compiler ($(head -c 150 "$err" | tr '\n' ' '))"
elif [ $status -ne 0 ]; then
	echo "FAIL tcpdump-$mode/$name: exit $status: $(head -c 200 "$err" | tr '\n' ' ')"
else
	echo "FAIL tcpdump-$mode/$name: stdout differs from $expected ($(diff "$out" "$testdir/$expected" | head -3 | tr '\n' ' ' | head -c 200))"
fi
