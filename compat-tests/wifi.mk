# Monitor mode (compat-tests/guest/checks/70-monitor.sh, in the test guest with mac80211_hwsim):
# the driver program, built against the system pcap.h, goes into the guest's /test; iw deletes
# what the system libpcap leaves behind after a SIGKILL (the baseline check).
DEB_PACKAGES += iw
GUEST_FILES += build/test/monitor-client
compat-tests-build: build/test/monitor-client
build/guest/initramfs.cpio.gz: build/test/monitor-client

build/test/monitor-client: compat-tests/wifi/monitor-client.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap
