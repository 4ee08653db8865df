# The BPF machine benchmark program (bench/bpf/run.sh).
bench: build/bench/bpf-bench

build/bench/bpf-bench: bench/bpf/bpf-bench.c
	@mkdir -p build/bench
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap
