# The offline-reading benchmark program (bench/offline/run.sh).
bench: build/bench/offline

build/bench/offline: bench/offline/offline.c
	@mkdir -p build/bench
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap
