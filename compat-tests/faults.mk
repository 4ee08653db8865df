# Capture-source faults (compat-tests/suites/79-sources-faults.sh): a program that opens a source
# and never reads it, built against the system pcap.h. The suite also uses 78's sources-api.
compat-tests-build: build/test/faults-hold

build/test/faults-%: compat-tests/faults/%.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap
