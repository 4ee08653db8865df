#!/bin/sh
# Differential fuzzing against the system libpcap, bounded: pcap_compile on generated and mutated
# expressions (compat-tests/fuzz/expr-fuzz.c) and savefile reading on generated and mutated pcap and
# pcapng files (compat-tests/fuzz/sf-fuzz.c), each with a fixed seed and with a seed that changes
# every run (printed; FUZZ_SEED=N sh compat-tests/suites/31-fuzz.sh runs that one again).
# `make fuzz` runs long rounds.
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
ours="$root/build/lib/libpcap.so.1"
sys=/usr/lib/x86_64-linux-gnu/libpcap.so.0.8
shared="$root/../shared"
if [ ! -f "$sys" ]; then
	echo "SKIP fuzz: the system libpcap ($sys) is not installed"
	exit 0
fi
if [ ! -x build/test/expr-fuzz ] || [ ! -x build/test/sf-fuzz ] || [ ! -f "$ours" ]; then
	echo "FAIL fuzz: build/test/expr-fuzz, build/test/sf-fuzz or build/lib/libpcap.so.1 is missing (run make)"
	exit 0
fi
seed=${FUZZ_SEED:-$(date +%s)}
echo "fuzz: fixed seed 31, changing seed $seed"
if [ -f "$shared/compat/filters/corpus.tsv" ]; then
	# every class the fuzzers found, as expressions a C program hands over (odd bytes included)
	build/test/expr-fuzz "$ours" "$sys" "$shared" list compat-tests/fuzz/regressions.list
	build/test/expr-fuzz "$ours" "$sys" "$shared" "${FUZZ_EXPRESSIONS:-2000}" 31
	build/test/expr-fuzz "$ours" "$sys" "$shared" "${FUZZ_EXPRESSIONS_VARYING:-1000}" "$seed"
else
	echo "SKIP fuzz-expressions: $shared/compat/filters is absent (the shared data lives beside the repository)"
fi
build/test/sf-fuzz "$ours" "${FUZZ_SAVEFILES:-3000}" 31
build/test/sf-fuzz "$ours" "${FUZZ_SAVEFILES:-3000}" "$seed"
