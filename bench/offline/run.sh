#!/bin/sh
# Offline reading: packets/s through pcap_loop, pcap_next_ex and tcpdump -r F -w /dev/null on the system
# libpcap and on ours (the same programs, the library chosen by the loader), with a plain large-read walk
# over the file as the floor. Captures of 20 M records (process start-up is noise there); each figure is
# the median of 3 runs, the libraries in turn. Rates are packets per CPU second of the reading process
# (user and kernel time): the machines are shared, and wall-clock rates there measure the neighbours as
# much as the reader. OFFLINE_RECORDS changes the count (e.g. 2000000 for a quick look).
# The bounds of tcpdump -r -w: pcap_loop + pcap_dump without tcpdump, and the floor of any reader that writes
# what it reads (the walk copying each record into a buffer written with write()), with and without a stdio
# lock taken per record in a multi-threaded process (as pcap_dump in ours, whose runtime has threads).
cd "$(dirname "$0")/../.." || exit 1
. bench/goal.sh
prog=build/bench/offline
ours="$(pwd)/build/lib/libpcap.so.1"
records=${OFFLINE_RECORDS:-20000000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# tcpdump writes to a null device of our own: a test that replaced /dev/null with a plain file (seen on
# shared machines) would otherwise turn "-w /dev/null" into page-cache writes.
null=/dev/null
[ -c "$null" ] || { mknod -m 666 "$dir/null" c 1 3 2>/dev/null && null=$dir/null; } || echo "note: /dev/null is not a device here"
median() { # median of 3 runs of a command: the first number each prints
	for _ in 1 2 3; do "$@" | awk '{ print $1 }'; done | sort -n | sed -n 2p
}
mps() { awk -v a="$1" 'BEGIN { printf "%.1f M/s", a / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '%-20s %-28s %11s %11s %8s %8s %8s\n' capture api libpcap ours ours/lib goal "of walk"
row() { # row CAPTURE API GOAL WALK COMMAND...: the command on both libraries; sets sys and our
	capture=$1 api=$2 goal=$3 walk=$4
	shift 4
	sys=$(median env LD_PRELOAD= "$@")
	our=$(median env LD_PRELOAD="$ours" "$@")
	of_walk=-
	[ "$walk" != - ] && of_walk=$(ratio "$our" "$walk")
	printf '%-20s %-28s %11s %11s %8s %8s %8s\n' "$capture" "$api" "$(mps "$sys")" "$(mps "$our")" \
		"$(ratio "$our" "$sys")" "$goal" "$of_walk"
	[ "$goal" != - ] && goal "offline $capture $api" "$(ratio "$our" "$sys")" "$goal"
	[ "$walk" != - ] && [ "$goal" != - ] && goal "offline $capture $api, of the read() walk" "$of_walk" ">= 0.7"
	return 0
}
floor() { # floor CAPTURE WHAT BASE COMMAND...: a library-free bound, and its ratio to BASE (libpcap's figure)
	capture=$1 what=$2 base=$3
	shift 3
	f=$(median "$@")
	printf '%-20s %-28s %11s %11s %8s   (this floor / libpcap'"'"'s tcpdump)\n' "$capture" "$what" - "$(mps "$f")" "$(ratio "$f" "$base")"
}
for spec in "$records 60 pcap" "$records 60 pcapng" "$((records / 20)) 1514 pcap" "$((records / 20)) 1514 pcapng"; do
	set -- $spec
	count=$1 size=$2 format=$3
	file="$dir/cap.$format"
	name="$(awk -v n="$count" 'BEGIN { printf "%g M", n / 1e6 }') x $size B $format"
	if [ "$format" = pcap ]; then
		$prog gen "$file" "$count" "$size" || exit 1
	else
		$prog gen-ng "$file" "$count" "$size" || exit 1
	fi
	cat "$file" >"$null" # cached, as the walk assumes
	walk=-
	if [ "$format" = pcap ]; then
		walk=$(median $prog walk "$file")
		printf '%-20s %-28s %11s\n' "$name" "read() walk (the floor)" "$(mps "$walk")"
	fi
	if [ "$size" = 60 ]; then
		if [ "$format" = pcap ]; then
			row "$name" pcap_loop ">= 3" "$walk" $prog loop "$file"
			row "$name" pcap_next_ex ">= 2" - $prog next_ex "$file"
			row "$name" "tcpdump -r F -w /dev/null" ">= 3" - $prog exec "$count" tcpdump -r "$file" -w "$null"
			tcpdump_sys=$sys
			floor "$name" "read()+write() walk" "$tcpdump_sys" $prog walk-write "$file" "$null"
			floor "$name" "the same + a stdio lock" "$tcpdump_sys" $prog walk-write "$file" "$null" locked
			row "$name" "pcap_loop + pcap_dump" - - $prog dump "$file" "$null"
			row "$name" "pcap_loop after pcap_file" - - $prog file-loop "$file"
		else
			row "$name" pcap_loop ">= 2" - $prog loop "$file"
			row "$name" pcap_next_ex ">= 2" - $prog next_ex "$file"
		fi
	else
		row "$name" pcap_loop - "$walk" $prog loop "$file"
		row "$name" pcap_next_ex - - $prog next_ex "$file"
	fi
	rm -f "$file"
done 2>/dev/null
