#!/bin/sh
# Savefile reading through the C ABI: pcap_breakloop from a signal handler, and every tcpdump capture
# read by the same program through the system libpcap and through ours (headers, bytes, errors).
cd "$(dirname "$0")/../.." || exit 1
lib=$(pwd)/build/lib
# The name is the last word before the run count, so PASS lines stay one word.
LD_PRELOAD="$lib/libpcap.so.1" build/test/breakloop 200 | sed 's/^\(PASS breakloop-signal\).*/\1/'

shared=../shared/compat/tcpdump-4.99.3/tests
if [ ! -d "$shared" ]; then
	echo "SKIP savefile-differential: $shared is not beside the repository"
	exit 0
fi
ours=$(mktemp) system=$(mktemp)
trap 'rm -f "$ours" "$system"' EXIT
for f in "$shared"/*.pcap "$shared"/*.pcapng; do
	for mode in "-m loop" "-m next_ex" "-n -m dispatch" "-m next"; do
		build/test/sfread $mode "$f" >"$system" 2>&1
		LD_PRELOAD="$lib/libpcap.so.1" build/test/sfread $mode "$f" >"$ours" 2>&1
		name="savefile-differential/$(basename "$f")/$(echo $mode | tr -d ' -')"
		if cmp -s "$ours" "$system"; then
			echo "PASS $name"
		else
			echo "FAIL $name: $(diff "$system" "$ours" | head -4 | tr '\n' ' ' | head -c 200)"
		fi
	done
done
