#!/bin/sh
# Savefiles the program moves: the same program on the system libpcap and on ours seeks, rewinds and
# reads on through pcap_file's FILE * (and its own FILE * given to pcap_fopen_offline), printing every
# packet and every ftell; the outputs must be identical. Then tcpslice, which seeks in its savefiles to
# cut them by time, writes byte-identical files on both libraries.
cd "$(dirname "$0")/../.." || exit 1
lib=$(pwd)/build/lib
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# compare NAME COMMAND...: COMMAND's standard output and error on both libraries
compare() {
	name=$1
	shift
	"$@" >"$dir/system" 2>&1
	LD_PRELOAD="$lib/libpcap.so.1" "$@" >"$dir/ours" 2>&1
	if cmp -s "$dir/ours" "$dir/system"; then
		echo "PASS $name"
	else
		echo "FAIL $name: $(diff "$dir/system" "$dir/ours" | head -4 | tr '\n' ' ' | head -c 240)"
	fi
}

modes="back forward rewind late fopen odd mixed"
seek_all() { # seek_all PREFIX FILE...
	prefix=$1
	shift
	for f in "$@"; do
		for m in $modes; do
			compare "$prefix/$(basename "$f")/$m" build/test/sfseek "$m" "$f"
		done
	done
}

# Generated: larger than the 512 KiB read buffer, so that moves land inside and outside what is buffered.
build/test/sfseek gen "$dir/gen.pcap" 20000 pcap && build/test/sfseek gen "$dir/gen.pcapng" 20000 pcapng ||
	echo "FAIL savefile-seek-gen: cannot write the generated captures"
seek_all savefile-seek-generated "$dir/gen.pcap" "$dir/gen.pcapng"

# The savefile corpus: both byte orders, nanoseconds, several sections, damaged files.
mkdir "$dir/corpus"
build/test/sfcorpus "$dir/corpus" || echo "FAIL savefile-seek-corpus: cannot write it"
seek_all savefile-seek-corpus "$dir"/corpus/*

# tcpslice: -R (first and last time stamps: it seeks to the end), then cuts by relative time.
tcpslice_cut() { # tcpslice_cut NAME ARGS...: the written file and the messages on both libraries
	name=$1
	shift
	tcpslice -w "$dir/system.pcap" "$@" >"$dir/system" 2>&1
	LD_PRELOAD="$lib/libpcap.so.1" tcpslice -w "$dir/ours.pcap" "$@" >"$dir/ours" 2>&1
	if cmp -s "$dir/ours" "$dir/system" && cmp -s "$dir/ours.pcap" "$dir/system.pcap"; then
		echo "PASS $name"
	else
		echo "FAIL $name: $(cmp "$dir/system.pcap" "$dir/ours.pcap" 2>&1; diff "$dir/system" "$dir/ours" | head -3 | tr '\n' ' ' | head -c 200)"
	fi
}
if command -v tcpslice >/dev/null; then
	for f in "$dir/gen.pcap"; do
		compare "tcpslice/generated/R" tcpslice -R "$f"
		tcpslice_cut "tcpslice/generated/cut" +3.5 +11.25 "$f"
		tcpslice_cut "tcpslice/generated/tail" +17 "$f"
	done
else
	echo "FAIL tcpslice: not installed (the Makefile installs it)"
fi

shared=../shared/compat/tcpdump-4.99.3/tests
if [ ! -d "$shared" ]; then
	echo "SKIP savefile-seek-differential: $shared is not beside the repository"
	exit 0
fi
seek_all savefile-seek-differential "$shared"/*.pcap "$shared"/*.pcapng
if command -v tcpslice >/dev/null; then
	# The 40 largest classic captures (tcpslice reads pcap only): several packets in most cut windows.
	for f in $(ls -S "$shared"/*.pcap | head -40); do
		n=$(basename "$f")
		compare "tcpslice/$n/R" tcpslice -R "$f"
		tcpslice_cut "tcpslice/$n/cut" +10 +60 "$f"
		tcpslice_cut "tcpslice/$n/head" +0 +2.5 "$f"
	done
	# Several files at once: tcpslice merges them in time order.
	tcpslice_cut "tcpslice/merge" +0 "$shared/afs.pcap" "$shared/AoE_Linux.pcap" "$shared/ptp_ethernet.pcap"
fi
