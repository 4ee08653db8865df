# The /dev/netmap emulation (a test fixture, see compat-tests/netmap-emu/README.md) and the
# netmap test programs, built by `make`.
# ping drives the transparent-mode test.
DEB_PACKAGES += iputils-ping

NETMAP_EMU_SRC := $(wildcard compat-tests/netmap-emu/*.c)
NETMAP_EMU_HDR := $(wildcard compat-tests/netmap-emu/*.h)

build/test/libnetmap-emu.so: $(NETMAP_EMU_SRC) $(NETMAP_EMU_HDR)
	@mkdir -p build/test
	$(CC) -O2 -g -fPIC -Wall -Wextra -Werror -shared -o $@ $(NETMAP_EMU_SRC) -ldl -lpthread

# Test programs: plain netmap ABI users (the emulation's own check) and pcap clients
# compiled against the system pcap.h.
build/test/netmap-emu-check: compat-tests/netmap/emu-check.c compat-tests/netmap-emu/netmap-abi.h
	@mkdir -p build/test
	$(CC) -O2 -g -Wall -Wextra -Werror -Icompat-tests/netmap-emu -o $@ $<

build/test/netmap-%: compat-tests/netmap/%.c
	@mkdir -p build/test
	$(CC) -O2 -g -Wall -Wextra -Werror -o $@ $< -lpcap -lpthread

compat-tests-build: build/test/libnetmap-emu.so build/test/netmap-emu-check build/test/netmap-send build/test/netmap-client
