#!/bin/sh
# pcap-run COMMAND [ARGS]: runs a program on our libpcap, preloaded and first on the library path.
lib=$(cd "$(dirname "$0")/../lib" && pwd)
LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
LD_PRELOAD="$lib/libpcap.so.1${LD_PRELOAD:+ $LD_PRELOAD}" \
exec "$@"
