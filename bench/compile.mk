# The filter-compile benchmark program (bench/compile/run.sh).
bench: build/bench/compile

build/bench/compile: bench/compile/compile.c
	@mkdir -p build/bench
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -ldl
