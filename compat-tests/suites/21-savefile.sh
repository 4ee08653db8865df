#!/bin/sh
# Savefile reading through the C ABI: pcap_breakloop from a signal handler, and savefiles (a generated
# corpus of sound and broken files, and every tcpdump capture) read by the same program through the
# system libpcap and through ours: file properties, every packet's header and bytes, errors, end status.
cd "$(dirname "$0")/../.." || exit 1
lib=$(pwd)/build/lib
LD_PRELOAD="$lib/libpcap.so.1" build/test/breakloop 200 | sed 's/^\(PASS breakloop-signal\).*/\1/'

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# compare NAME ARGS...: sfread ARGS on both libraries (ARGS "-" reads the file named by $input on stdin)
compare() {
	name=$1
	shift
	build/test/sfread "$@" <"$input" >"$dir/system" 2>&1
	LD_PRELOAD="$lib/libpcap.so.1" build/test/sfread "$@" <"$input" >"$dir/ours" 2>&1
	if cmp -s "$dir/ours" "$dir/system"; then
		echo "PASS $name"
	else
		echo "FAIL $name: $(diff "$dir/system" "$dir/ours" | head -4 | tr '\n' ' ' | head -c 240)"
	fi
}

mkdir "$dir/corpus"
build/test/sfcorpus "$dir/corpus" || echo "FAIL savefile-corpus: cannot write it"
for f in "$dir"/corpus/*; do
	input=$f
	n=$(basename "$f")
	compare "savefile-corpus/$n/loop" -m loop "$f"
	compare "savefile-corpus/$n/next_ex-nano" -n -m next_ex "$f"
	compare "savefile-corpus/$n/stdin-dispatch" -m dispatch -
	compare "savefile-corpus/$n/breaks" -m breaks "$f"
done

shared=../shared/compat/tcpdump-4.99.3/tests
if [ ! -d "$shared" ]; then
	echo "SKIP savefile-differential: $shared is not beside the repository"
	exit 0
fi
for f in "$shared"/*.pcap "$shared"/*.pcapng; do
	input=$f
	n=$(basename "$f")
	compare "savefile-differential/$n/loop" -m loop "$f"
	compare "savefile-differential/$n/next_ex" -m next_ex "$f"
	compare "savefile-differential/$n/dispatch-nano" -n -m dispatch "$f"
	compare "savefile-differential/$n/next-stdin" -m next -
	compare "savefile-differential/$n/loop-breaks" -m loop-breaks "$f"
done
