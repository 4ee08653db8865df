# Test programs built by `make`: C clients compiled against the system pcap.h.
.PHONY: compat-tests-build
compat-tests-build:
