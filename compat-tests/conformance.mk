# The C API conformance suite: compiled against the system pcap.h, linked to the system libpcap;
# compat-tests/suites/50-conformance.sh runs it once on each library.
CONFORMANCE_SRC := $(wildcard compat-tests/conformance/*.c)
CONFORMANCE_HDR := $(wildcard compat-tests/conformance/*.h)

build/test/conformance: $(CONFORMANCE_SRC) $(CONFORMANCE_HDR)
	@mkdir -p build/test
	$(CC) -O1 -g -Wall -Wextra -Werror -o $@ $(CONFORMANCE_SRC) -lpcap

compat-tests-build: build/test/conformance
