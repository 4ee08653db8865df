# The live-capture benchmark's drivers (bench/live/run.sh): injection rate, a counting pcap_loop and a bare ring reader (no libpcap); the sender comes from compat-tests/live.mk.
bench: build/bench/live-inject-rate build/bench/live-loop-cpu build/bench/live-bare-reader

build/bench/live-inject-rate: bench/live/inject-rate.c
	@mkdir -p build/bench
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap

build/bench/live-loop-cpu: bench/live/loop-cpu.c
	@mkdir -p build/bench
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap

build/bench/live-bare-reader: bench/live/bare-reader.c
	@mkdir -p build/bench
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<
