# Capture sources other than network interfaces (compat-tests/suites/78-sources.sh): netfilter
# (nftables rules `log group N` and `queue num N` in the test's own namespaces) and D-Bus (a private
# dbus-daemon the test starts). The C drivers are built against the system pcap.h.
DEB_PACKAGES += nftables iptables dbus iputils-ping # iptables: NFQUEUE where the kernel lacks nftables queue
SOURCES_TEST_PROGRAMS := build/test/sources-unactivated build/test/sources-api
compat-tests-build: $(SOURCES_TEST_PROGRAMS)

build/test/sources-%: compat-tests/sources/%.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap -lpthread
