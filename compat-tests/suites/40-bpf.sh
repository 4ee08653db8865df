#!/bin/sh
# The BPF entry points against the system libpcap: tcpdump -d/-dd/-ddd, then bpf_dump, bpf_validate,
# bpf_filter, pcap_offline_filter and pcap_setfilter over the filter corpus' programs (compiled by
# the system libpcap, so both libraries get the same instructions) and its synthetic captures; the
# link-type, time-stamp and status tables and pcap_open_dead handles through the C API.
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
run="$root/build/bin/pcap-run"
drv="$root/build/test/bpf-text"
shared="$root/../shared/compat/filters"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sys() { env -u LD_PRELOAD -u LD_LIBRARY_PATH "$@"; }

# Compares two runs' output files; $1 test name, $2 what the system printed, $3 what ours printed.
compare() {
	if [ ! -s "$2" ]; then
		echo "FAIL $1: the system libpcap's run printed nothing"
	elif cmp -s "$2" "$3"; then
		echo "PASS $1"
	else
		echo "FAIL $1: $(diff "$2" "$3" | sed -n '2,3p' | tr '\n' ' ' | cut -c1-200)"
	fi
}

# An empty savefile of each link type: tcpdump -d -r FILE compiles for the file's link type. (With -y
# and no -r it would open the machine's default interface, which a test must never capture on.)
savefile_header() { # $1 name, $2 LINKTYPE_ value: pcap 2.4, little-endian, snap length 262144
	lo=$(($2 % 256)) hi=$(($2 / 256))
	printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\000\000\004\000'"$(printf '\\%03o\\%03o' $lo $hi)"'\000\000' >"$work/$1.pcap"
}
savefile_header EN10MB 1; savefile_header LINUX_SLL 113; savefile_header LINUX_SLL2 276
savefile_header RAW 101; savefile_header IEEE802_11_RADIO 127

# 1. tcpdump prints the compiled program. For the empty expression both libraries compile the same
# one-instruction program, so the text must be byte-identical. For other expressions our optimiser's
# program may differ from libpcap's (issue 4 judges programs by verdicts); what tcpdump prints must
# then be exactly what libpcap's own bpf_dump prints for OUR program, and both sizes are reported.
for dlt in EN10MB LINUX_SLL LINUX_SLL2 RAW IEEE802_11_RADIO; do
	for expr in "" "tcp port 80" "ip and udp" "vlan and ip" "icmp or arp" "ip6 and not tcp"; do
		for d in -d -dd -ddd; do
			name="tcpdump$d-$dlt-$(echo "${expr:-empty}" | tr ' ' '_')"
			set -- $d -r "$work/$dlt.pcap"
			[ -n "$expr" ] && set -- "$@" "$expr"
			sys tcpdump "$@" >"$work/sys.out" 2>"$work/sys.err"
			srv=$?
			"$run" tcpdump "$@" >"$work/our.out" 2>"$work/our.err"
			orv=$?
			if [ $srv -ne $orv ]; then
				echo "FAIL $name: exit $orv, libpcap $srv: $(head -1 "$work/our.err")"
			elif [ $srv -ne 0 ]; then
				# Both refuse the expression: with the same words.
				if cmp -s "$work/sys.err" "$work/our.err"; then echo "PASS $name (both refuse: $(head -1 "$work/our.err"))"
				else echo "FAIL $name: libpcap says '$(head -1 "$work/sys.err")', ours '$(head -1 "$work/our.err")'"; fi
			elif [ -z "$expr" ] || cmp -s "$work/sys.out" "$work/our.out"; then
				compare "$name" "$work/sys.out" "$work/our.out"
			else
				"$run" tcpdump -ddd -r "$work/$dlt.pcap" "$expr" 2>/dev/null | awk -v d="$dlt" 'NR == 1 { printf "x %s %s", d, $1; next } { printf " %s %s %s %s", $1, $2, $3, $4 } END { print "" }' >"$work/ours.prog"
				sys "$drv" dump $((${#d} - 1)) <"$work/ours.prog" | sed 1d >"$work/libtext.out"
				ours_n=$(head -c 20 "$work/ours.prog" | awk '{print $3}')
				sys_n=$(sys tcpdump -ddd -r "$work/$dlt.pcap" "$expr" 2>/dev/null | head -1)
				compare "$name (our program $ours_n instructions, libpcap's $sys_n: text checked against libpcap's bpf_dump of ours)" "$work/libtext.out" "$work/our.out"
			fi
		done
	done
done

# 2. Tables, dead handles, pcap_set_datalink, pcap_compile of "", pcap_freecode, static buffers.
sys "$drv" names >"$work/sys.out" 2>&1
"$run" "$drv" names >"$work/our.out" 2>&1
compare "bpf-names-and-dead-handles ($(wc -l <"$work/sys.out") lines)" "$work/sys.out" "$work/our.out"

# 3. The corpus' accepted expressions, compiled once by the system libpcap.
if [ ! -f "$shared/corpus.tsv" ]; then
	echo "SKIP bpf-corpus: $shared is absent (the shared data lives beside the repository)"
	exit 0
fi
awk -F'\t' 'NR > 1 && $4 == "ok" { print $1 "\t" $2 "\t" $3 "\t" $5 }' "$shared/corpus.tsv" >"$work/cases.tsv"
sys "$drv" compile <"$work/cases.tsv" >"$work/programs.txt"
for dlt in $(cut -f2 "$work/cases.tsv" | sort -u); do
	awk -v d="$dlt" '$2 == d' "$work/programs.txt" >"$work/$dlt.txt"
	count=$(wc -l <"$work/$dlt.txt")
	for option in 1 2 3; do
		sys "$drv" dump $option <"$work/$dlt.txt" >"$work/sys.out" 2>&1
		"$run" "$drv" dump $option <"$work/$dlt.txt" >"$work/our.out" 2>&1
		compare "bpf-dump-$option-$dlt ($count programs)" "$work/sys.out" "$work/our.out"
	done
	sys "$drv" filter "$shared/synthetic" <"$work/$dlt.txt" >"$work/sys.out" 2>&1
	"$run" "$drv" filter "$shared/synthetic" <"$work/$dlt.txt" >"$work/our.out" 2>&1
	unstored=$(grep -c reads-unstored-scratch "$work/sys.out")
	compare "bpf-filter-$dlt ($count programs over $dlt.pcap; $unstored load scratch cells they never store, libpcap reads garbage there: compared by validity only)" "$work/sys.out" "$work/our.out"
done
