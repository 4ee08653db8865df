#!/bin/sh
# Debian's tcpdump over every case of tcpdump 4.99.3's regression captures (../shared/compat), on our
# library: once preloaded, once through the library path only. One line per case and mode.
cd "$(dirname "$0")/../.." || exit 1
shared=../shared/compat/tcpdump-4.99.3
if [ ! -f "$shared/tests.tsv" ]; then
	echo "SKIP tcpdump-cases: $shared is not beside the repository"
	exit 0
fi
if ! command -v tcpdump >/dev/null; then
	echo "SKIP tcpdump-cases: tcpdump is not installed"
	exit 0
fi
testdir=$(cd "$shared/tests" && pwd)
lib=$(pwd)/build/lib

# Our SONAME is Debian's (libpcap.so.0.8), so a preloaded copy stands in for the system library: the
# loader must not even look for the system file, and tcpdump must report our version string.
for mode in preload libpath; do
	if [ $mode = preload ]; then set -- env LD_PRELOAD="$lib/libpcap.so.1"; else set -- env LD_LIBRARY_PATH="$lib"; fi
	trace=$("$@" LD_DEBUG=libs tcpdump --version 2>&1)
	if printf '%s\n' "$trace" | grep -q 'trying file=.*x86_64-linux-gnu/libpcap'; then
		echo "FAIL tcpdump-$mode/only-our-library: the loader also looked for the system libpcap"
	elif ! printf '%s\n' "$trace" | grep -q '^libpcap version 1.10.3 (Pcap'; then
		echo "FAIL tcpdump-$mode/only-our-library: tcpdump does not report our library's version"
	else
		echo "PASS tcpdump-$mode/only-our-library"
	fi
done

for mode in preload libpath; do
	grep -v '^#' "$shared/tests.tsv" | while IFS='	' read -r name input expected args; do
		sh compat-tests/tcpdump/run-case.sh "$mode" "$testdir" "$name" "$input" "$expected" "$args"
	done
done
