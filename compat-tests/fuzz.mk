# Differential fuzzers against the system libpcap (compat-tests/fuzz/): pcap_compile (expr-fuzz) and
# savefile reading (sf-fuzz). `make test` runs a bounded round (compat-tests/suites/31-fuzz.sh);
# `make fuzz` a long one: FUZZ_COUNT expressions (default 100000), FUZZ_SAVEFILES savefiles (default
# 10 x FUZZ_COUNT), from FUZZ_SEED (default: the time, printed). FUZZ_DLTS=A,B,... keeps to some link types (default: all).
DEB_PACKAGES += libpcap-dev
compat-tests-build: build/test/expr-fuzz build/test/sf-fuzz

build/test/expr-fuzz: compat-tests/fuzz/expr-fuzz.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -ldl

build/test/sf-fuzz: compat-tests/fuzz/sf-fuzz.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap

FUZZ_COUNT ?= 100000
FUZZ_SAVEFILES ?= $(shell echo $$(( $(FUZZ_COUNT) * 10 )))
FUZZ_SEED ?= $(shell date +%s)

.PHONY: fuzz
fuzz: all
	@echo "fuzz: seed $(FUZZ_SEED), $(FUZZ_COUNT) expressions, $(FUZZ_SAVEFILES) savefiles"
	build/test/expr-fuzz $(CURDIR)/build/lib/libpcap.so.1 /usr/lib/x86_64-linux-gnu/libpcap.so.0.8 $(CURDIR)/../shared $(FUZZ_COUNT) $(FUZZ_SEED); \
	e=$$?; build/test/sf-fuzz $(CURDIR)/build/lib/libpcap.so.1 $(FUZZ_SAVEFILES) $(FUZZ_SEED); s=$$?; [ $$e -eq 0 ] && [ $$s -eq 0 ]
