#!/bin/sh
# pcap_compile: CPU time per expression over the filter corpus, the system libpcap and ours side by side.
cd "$(dirname "$0")/../.." || exit 1
. bench/goal.sh
prog=build/bench/compile
corpus=../shared/compat/filters/corpus.tsv
if [ ! -f "$corpus" ]; then
	echo "SKIP compile bench: $corpus is absent"
	exit 0
fi
rounds=${PCAP_BENCH_ROUNDS:-3}
sys=$("$prog" /usr/lib/x86_64-linux-gnu/libpcap.so.0.8 "$corpus" "$rounds")
ours=$("$prog" "$(pwd)/build/lib/libpcap.so.1" "$corpus" "$rounds")
set -- $sys
s=$1 n=$2
set -- $ours
o=$1
printf '%-34s %14s %14s %10s\n' "pcap_compile (optimise on)" "system CPU ns" "ours CPU ns" "ours/sys"
ratio=$(awk -v o="$o" -v s="$s" 'BEGIN { printf "%.2f", o / s }')
printf '%-34s %14s %14s %10s\n' "corpus, $n expressions" "$s" "$o" "$ratio"
# issue 13: no slower than libpcap per expression
goal "pcap_compile CPU time per corpus expression" "$ratio" "<= 1"
