# make bench-guest: netmap figures in the test guest (bench/guest/run.sh), not part of make test.
.PHONY: bench-guest
bench-guest: all guest-image
	sh bench/guest/run.sh

build/bench/guest-inject: bench/guest/inject.c
	@mkdir -p build/bench
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap
