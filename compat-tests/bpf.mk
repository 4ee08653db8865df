# The BPF text and filter differential driver of compat-tests/suites/40-bpf.sh.
compat-tests-build: build/test/bpf-text

build/test/bpf-text: compat-tests/bpf/bpf-text.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap
