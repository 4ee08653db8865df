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
pairs=${PCAP_BENCH_PAIRS:-5}
# The libraries take turns, one process each, PAIRS times: each pair sees about the same machine state,
# which on a shared VM drifts by a third between runs; the figures are the medians of the pairs.
# A name the corpus cannot resolve waits on the DNS server (CPU time does not count the wait): one try
# of one second at most (the resolver's RES_OPTIONS), for both libraries, keeps the bench short.
RES_OPTIONS="timeout:1 attempts:1"
export RES_OPTIONS
runs=""
i=0
while [ "$i" -lt "$pairs" ]; do
	set -- $("$prog" /usr/lib/x86_64-linux-gnu/libpcap.so.0.8 "$corpus" "$rounds")
	s=$1 n=$2
	set -- $("$prog" "$(pwd)/build/lib/libpcap.so.1" "$corpus" "$rounds")
	runs="$runs$s $1
"
	i=$((i + 1))
done
set -- $(printf '%s' "$runs" | awk '{ s[NR] = $1; o[NR] = $2; r[NR] = $2 / $1 }
	function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
	END { printf "%.0f %.0f %.2f\n", med(s, NR), med(o, NR), med(r, NR) }')
s=$1 o=$2 ratio=$3
printf '%-34s %14s %14s %10s\n' "pcap_compile (optimise on)" "system CPU ns" "ours CPU ns" "ours/sys"
printf '%-34s %14s %14s %10s\n' "corpus, $n expressions, median of $pairs" "$s" "$o" "$ratio"
# issue 13: no slower than libpcap per expression
goal "pcap_compile CPU time per corpus expression" "$ratio" "<= 1"
