# Fanout test programs (compat-tests/suites/75-fanout.sh): a sender of many flows and a lister of
# what each capturing process wrote, built against the system pcap.h.
FANOUT_TEST_PROGRAMS := build/test/fanout-flow-sender build/test/fanout-flow-list
compat-tests-build: $(FANOUT_TEST_PROGRAMS)

build/test/fanout-flow-sender: compat-tests/fanout/flow-sender.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

build/test/fanout-flow-list: compat-tests/fanout/flow-list.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap
