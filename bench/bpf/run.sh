#!/bin/sh
# The BPF machine: filters per second through bpf_filter (one exported call per frame) and packets per
# second through pcap_setfilter + pcap_loop over a savefile, on the system libpcap and on ours, for
# programs the system libpcap compiles. CPU time, best of 5, so a busy machine skews both alike.
cd "$(dirname "$0")/../.." || exit 1
prog=build/bench/bpf-bench
ours="$(pwd)/build/lib/libpcap.so.1"
capture=../shared/compat/filters/synthetic/EN10MB.pcap
if [ ! -f "$capture" ]; then
	echo "bpf bench: $capture is absent (the shared data lives beside the repository)"
	exit 0
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
best() { # best of 5 runs of column $1
	col=$1
	shift
	b=0
	for _ in 1 2 3 4 5; do
		r=$("$@" | awk -v c="$col" '{print $c}')
		[ "$r" -gt "$b" ] && b=$r
	done
	echo "$b"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '%-52s %-12s %14s %14s %8s\n' program api "system /s" "ours /s" ours/sys
for expr in "" "tcp port 80" "ip and (udp or tcp) and not net 10.0.0.0/8 and portrange 1000-2000" "vlan and ip6 and icmp6"; do
	env -u LD_PRELOAD -u LD_LIBRARY_PATH tcpdump -ddd -y EN10MB $expr >"$dir/program.txt" 2>/dev/null || continue
	for api in bpf_filter pcap_loop; do
		col=1
		[ $api = pcap_loop ] && col=2
		sys=$(best $col env -u LD_PRELOAD -u LD_LIBRARY_PATH $prog "$dir/program.txt" "$capture" 200)
		our=$(best $col env LD_PRELOAD="$ours" $prog "$dir/program.txt" "$capture" 200)
		printf '%-52s %-12s %14s %14s %8s\n' "\"$(echo "$expr" | cut -c1-48)\"" $api "$sys" "$our" "$(ratio "$our" "$sys")"
	done
done
