#!/bin/sh
# tcpdump -r X -w Y through our library writes the same bytes as through the system libpcap, for every
# capture of the tcpdump 4.99.3 regression set: to a file, with "-w -" into a pipe, and to a file at
# nanosecond precision (--time-stamp-precision=nano).
# Exit statuses must match too (malformed captures end early in both). One more line per capture runs
# build/test/pcap-copy, the same libpcap calls without tcpdump (exit status and error text compared).
cd "$(dirname "$0")/../.." || exit 1
tests=../shared/compat/tcpdump-4.99.3/tests
if [ ! -d "$tests" ]; then
	echo "SKIP tcpdump-write: $tests absent (shared data is beside the repository in CI)"
	exit 0
fi
if ! command -v tcpdump >/dev/null; then
	echo "SKIP tcpdump-write: tcpdump not installed"
	exit 0
fi
lib=$PWD/build/lib
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
chmod 755 "$out" # tcpdump drops to its own user before writing
export TZ=GMT0 LC_ALL=C

# run LIBRARY MODE CAPTURE OUTPUT: writes OUTPUT, prints the exit status. Modes: file and pipe run
# tcpdump -w OUTPUT and -w - into a pipe; copy runs build/test/pcap-copy (the same libpcap calls).
run() {
	if [ "$1" = ours ]; then libpath=$lib; else libpath=; fi
	case $2 in
	file)
		LD_LIBRARY_PATH=$libpath timeout 20 tcpdump -r "$3" -w "$4" </dev/null 2>/dev/null
		echo $? ;;
	nano)
		# nanosecond handle: the file gets the nanosecond magic
		LD_LIBRARY_PATH=$libpath timeout 20 tcpdump --time-stamp-precision=nano -r "$3" -w "$4" </dev/null 2>/dev/null
		echo $? ;;
	pipe)
		# the exit status of tcpdump, not of cat
		{ LD_LIBRARY_PATH=$libpath timeout 20 tcpdump -r "$3" -w - </dev/null 2>/dev/null; echo $? >"$4.rc"; } | cat >"$4"
		cat "$4.rc" ;;
	copy)
		LD_LIBRARY_PATH=$libpath timeout 20 build/test/pcap-copy "$3" "$4" </dev/null 2>"$4.err"
		echo "$? $(cat "$4.err")" ;;
	esac
}

for capture in "$tests"/*.pcap "$tests"/*.pcapng; do
	name=$(basename "$capture")
	for mode in file pipe nano copy; do
		rs=$(run system $mode "$capture" "$out/system.pcap")
		ro=$(run ours $mode "$capture" "$out/ours.pcap")
		label="tcpdump-write-$mode/$name"
		if [ "$rs" != "$ro" ]; then
			echo "FAIL $label: exit status (and error) $ro, system libpcap $rs"
		elif ! cmp -s "$out/system.pcap" "$out/ours.pcap"; then
			echo "FAIL $label: output differs ($(cmp "$out/system.pcap" "$out/ours.pcap" 2>&1 | head -1))"
		else
			echo "PASS $label"
		fi
		rm -f "$out"/*.pcap "$out"/*.rc "$out"/*.err
	done
done
