# The live-capture benchmark's injection driver (bench/live/run.sh); the sender comes from compat-tests/live.mk.
bench: build/bench/live-inject-rate

build/bench/live-inject-rate: bench/live/inject-rate.c
	@mkdir -p build/bench
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap
