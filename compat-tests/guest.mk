# The test guest (compat-tests/guest/README.md): Debian's kernel in qemu with netmap.ko built from
# ../shared/netmap, booted by compat-tests/suites/85-guest.sh (make test) and bench/guest (make
# bench-guest). Everything it builds stays under build/guest and is rebuilt only when its inputs change.
# qemu-user runs the library on older CPU models in user mode (the suite's cheaper CPU check).
DEB_PACKAGES += qemu-system-x86 qemu-user linux-image-amd64 linux-headers-amd64 busybox-static iproute2 cpio file kmod xz-utils pkg-config

NETMAP_ARCHIVE := $(wildcard ../shared/netmap/netmap-*.tar.xz)
GUEST_SCRIPTS := $(wildcard compat-tests/guest/*.sh compat-tests/guest/*.txt compat-tests/guest/checks/*.sh bench/guest/*.sh)
# Files copied into the guest's /test: test programs (built against the system pcap.h) and a capture.
GUEST_FILES := build/test/netmap-client build/test/netmap-send build/sample.pcap build/guest/netmap/pkt-gen build/bench/guest-inject
# sources2 (usbmon, Bluetooth checks 6x-*.sh): the capture program of compat-tests/sources.
GUEST_FILES += build/test/sources-api build/test/hci-up build/test/as-nobody

build/test/hci-up build/test/as-nobody: build/test/%: compat-tests/guest/%.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

.PHONY: guest-image
guest-image: build/guest/initramfs.cpio.gz

build/guest/netmap/netmap.ko build/guest/netmap/pkt-gen &: $(NETMAP_ARCHIVE) compat-tests/guest/build-netmap.sh
	sh compat-tests/guest/build-netmap.sh build/guest/netmap

build/guest/initramfs.cpio.gz: build/lib/libpcap.so.1 build/guest/netmap/netmap.ko $(GUEST_FILES) $(GUEST_SCRIPTS)
	sh compat-tests/guest/make-initramfs.sh $@ $(GUEST_FILES)

# xdp2 (netmap rings under PCAP_FANOUT, checks/40-netmap-fanout.sh): the fanout suite's sender and lister.
GUEST_FILES += build/test/fanout-flow-sender build/test/fanout-flow-list
build/guest/initramfs.cpio.gz: build/test/fanout-flow-sender build/test/fanout-flow-list
