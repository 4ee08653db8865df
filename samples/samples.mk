# The C sample, built against the system pcap.h and run on our library with build/bin/pcap-run.
build/samples/pcap-filter-copy: samples/c/pcap-filter-copy.c
	@mkdir -p build/samples
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap

compat-tests-build: build/samples/pcap-filter-copy

# The capture the samples' smoke run (compat-tests/suites/65-samples.sh) reads.
build/test/make-capture: compat-tests/samples-smoke/make-capture.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

compat-tests-build: build/test/make-capture

# The capture README.md's first command reads with tcpdump through our library.
build/sample.pcap: build/test/make-capture
	build/test/make-capture $@

all: build/sample.pcap
