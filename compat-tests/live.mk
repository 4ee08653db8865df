# Live-capture test programs (compat-tests/suites/70-live.sh): a frame sender of our own and C
# drivers of the live API, all built against the system pcap.h. dumpcap (tshark) and ngrep are
# driven over the same traffic; the Makefile preseeds debconf so tshark installs unattended.
DEB_PACKAGES += tshark ngrep iproute2 util-linux
LIVE_TEST_PROGRAMS := build/test/live-sender build/test/live-api build/test/live-breakloop-thread build/test/live-inject build/test/live-devices build/test/live-next-ex build/test/live-selectable-epoll build/test/live-poll-read
compat-tests-build: $(LIVE_TEST_PROGRAMS)

build/test/live-sender: compat-tests/live/sender.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

build/test/live-%: compat-tests/live/%.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap -lpthread
