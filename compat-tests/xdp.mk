# AF_XDP test programs (compat-tests/suites/76-xdp.sh): another tool's XDP program attached the
# way ip(8) or a bpf link does, and pcap_stats on a handle that does not read, built against the
# system pcap.h.
XDP_TEST_PROGRAMS := build/test/xdp-other-program build/test/xdp-stats
compat-tests-build: $(XDP_TEST_PROGRAMS)

build/test/xdp-other-program: compat-tests/xdp/other-program.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

build/test/xdp-stats: compat-tests/xdp/stats.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap
