#!/bin/sh
# The C API conformance suite (compat-tests/conformance), run twice: on the system libpcap, which
# proves that each check states libpcap 1.10.3's real behaviour, and on ours through the library path.
cd "$(dirname "$0")/../.." || exit 1
bin=build/test/conformance
if [ ! -x "$bin" ]; then
	echo "FAIL conformance-built: $bin missing (run make)"
	exit 0
fi
"$bin" system 2>/dev/null
LD_LIBRARY_PATH="$PWD/build/lib" "$bin" ours 2>/dev/null
