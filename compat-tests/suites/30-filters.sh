#!/bin/sh
# pcap_compile through the built library against the system libpcap, both loaded into one process:
# the whole filter corpus, then random expressions (PCAP_FUZZ_COUNT, default 2000; PCAP_FUZZ_SEED).
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
drv="$root/build/test/filter-diff"
ours="$root/build/lib/libpcap.so.1"
sys=/usr/lib/x86_64-linux-gnu/libpcap.so.0.8
shared="$root/../shared"
if [ ! -f "$shared/compat/filters/corpus.tsv" ]; then
	echo "SKIP filters: $shared/compat/filters is absent (the shared data lives beside the repository)"
	exit 0
fi
if [ ! -f "$sys" ]; then
	echo "SKIP filters: the system libpcap ($sys) is not installed"
	exit 0
fi
if [ ! -x "$drv" ] || [ ! -f "$ours" ]; then
	echo "FAIL filters: build/test/filter-diff or build/lib/libpcap.so.1 is missing (run make)"
	exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$drv" "$ours" "$sys" "$shared" corpus
"$drv" "$ours" "$sys" "$shared" fuzz "${PCAP_FUZZ_COUNT:-2000}" "${PCAP_FUZZ_SEED:-4242}"
# pcap_compile from four threads at once, on each library; with no network (unshare -n) so names the
# resolver cannot answer fail at once instead of waiting on the DNS server.
threads="$root/build/test/compile-threads"
noNet=""
unshare -n true 2>/dev/null && noNet="unshare -n"
$noNet "$threads" "$sys" "$shared/compat/filters/corpus.tsv" 4 3 libpcap
$noNet "$threads" "$ours" "$shared/compat/filters/corpus.tsv" 4 3 ours
