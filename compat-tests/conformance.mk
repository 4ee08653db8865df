# The C API conformance suite: compiled against the system pcap.h, linked to the system libpcap;
# compat-tests/suites/50-conformance.sh runs it once on each library.
CONFORMANCE_SRC := $(wildcard compat-tests/conformance/*.c)
CONFORMANCE_HDR := $(wildcard compat-tests/conformance/*.h)

build/test/conformance: $(CONFORMANCE_SRC) $(CONFORMANCE_HDR)
	@mkdir -p build/test
	$(CC) -O1 -g -Wall -Wextra -Werror -o $@ $(CONFORMANCE_SRC) -lpcap -lpthread -ldl

compat-tests-build: build/test/conformance

# tcpdump -r X -w Y reduced to the libpcap calls it makes (compat-tests/suites/55-tcpdump-write.sh).
build/test/pcap-copy: compat-tests/savefile-copy/pcap-copy.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap

compat-tests-build: build/test/pcap-copy
