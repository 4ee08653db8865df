# pcap_compile on every link type (compat-tests/suites/32-linktypes.sh): a plain pcap client built
# against the system pcap.h, run once on each library.
compat-tests-build: build/test/linktype-check

build/test/linktype-check: compat-tests/linktypes/linktype-check.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap
