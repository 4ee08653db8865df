#!/bin/sh
# Filters, on the system libpcap and on ours in the same run (the same program, the library chosen
# by the loader): packets per CPU second of the process, the median of BPF_BENCH_RUNS runs (5),
# the two libraries taking turns. Programs come from the system tcpdump -ddd, so both run the same
# instructions. Rows:
#  - pcap_setfilter + pcap_loop over BPF_BENCH_RECORDS (20 M) records of 60 bytes: frames without IP
#    (rejected at the link type, the issue's measurement) and a mix of UDP to port 53 (accepted),
#    UDP to 123, TCP and ARP;
#  - bpf_filter and pcap_offline_filter called directly over the frames of the corpus's Ethernet
#    capture, held in memory (200 rounds).
cd "$(dirname "$0")/../.." || exit 1
. bench/goal.sh
prog=build/bench/bpf-bench
ours="$(pwd)/build/lib/libpcap.so.1"
capture=../shared/compat/filters/synthetic/EN10MB.pcap
RUNS=${BPF_BENCH_RUNS:-5}
RECORDS=${BPF_BENCH_RECORDS:-20000000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)) }'; }
# row LABEL GOAL COMMAND...: COMMAND's first number on each library in turn, RUNS times; the medians and their ratio.
row() {
	label=$1 goal=$2
	shift 2
	: >"$dir/sys" && : >"$dir/ours"
	for _ in $(seq "$RUNS"); do
		env -u LD_PRELOAD -u LD_LIBRARY_PATH "$@" | awk '{ print $1 }' >>"$dir/sys"
		env LD_PRELOAD="$ours" "$@" | awk '{ print $1 }' >>"$dir/ours"
	done
	s=$(median <"$dir/sys") o=$(median <"$dir/ours")
	awk -v l="$label" -v s="$s" -v o="$o" -v g="$goal" \
		'BEGIN { printf "%-58s %10.1f M/s %10.1f M/s %8.2f   %s\n", l, s / 1e6, o / 1e6, (s > 0 ? o / s : 0), g }'
	[ "$goal" = - ] || goal "$label" "$(awk -v s="$s" -v o="$o" 'BEGIN { printf "%.2f", (s > 0 ? o / s : 0) }')" "$goal"
}

printf '%-58s %14s %14s %8s   %s\n' "what (median of $RUNS)" libpcap ours ours/libpcap goal
tcpdump -ddd -y EN10MB udp and dst port 53 >"$dir/dns.txt" || exit 1
printf '1\n6 0 0 0\n' >"$dir/reject.txt"
for kind in count mix; do
	$prog gen "$dir/$kind.pcap" "$RECORDS" $kind || exit 1
	cat "$dir/$kind.pcap" >/dev/null # cached: the filter and the reader are measured, not the disk
	[ $kind = count ] && what="no IP" || what="mixed"
	row "pcap_loop + \"udp and dst port 53\", $((RECORDS / 1000000)) M x 60 B, $what" ">= 3" \
		$prog loop "$dir/dns.txt" "$dir/$kind.pcap" "$RECORDS"
	# What bounds the row above: the same loop with a one-instruction program that rejects every
	# packet, i.e. reading the file with the cheapest filter there is.
	[ $kind = count ] && row "pcap_loop + \"ret #0\" (reading alone), same file" "-" \
		$prog loop "$dir/reject.txt" "$dir/$kind.pcap" "$RECORDS"
	rm -f "$dir/$kind.pcap"
done
if [ ! -f "$capture" ]; then
	echo "bpf_filter rows: $capture is absent (the shared data lives beside the repository)"
	exit 0
fi
for expr in "udp and dst port 53" "tcp port 80" "ip and (udp or tcp) and not net 10.0.0.0/8 and portrange 1000-2000" "vlan and ip6 and icmp6"; do
	tcpdump -ddd -y EN10MB $expr >"$dir/program.txt" 2>/dev/null || continue
	short=$(echo "$expr" | cut -c1-36)
	row "bpf_filter \"$short\"" "-" $prog filter "$dir/program.txt" "$capture" 200
	row "pcap_offline_filter \"$short\"" "-" $prog offline "$dir/program.txt" "$capture" 200
done
