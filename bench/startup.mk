# The start-up benchmark program (bench/startup/run.sh).
bench: build/bench/startup

build/bench/startup: bench/startup/startup.c
	@mkdir -p build/bench
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap
