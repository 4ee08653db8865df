# make          build build/lib/libpcap.so.1 (+ libpcap.so.0.8, libpcap.so) and build/bin/pcap-run
# make test     every test: export check, xunit, compat-tests; ends with "N passed, N failed"
# make bench    benchmarks side by side with the system libpcap
# make install  copy the library to $(PREFIX)/lib (not over the system's libpcap)

PREFIX ?= /usr/local
CC ?= cc
# Debian packages the build and the tests drive; installed when missing.
DEB_PACKAGES := gcc make binutils libpcap-dev tcpdump iproute2 tshark ngrep tcpreplay
export DEBIAN_FRONTEND := noninteractive

.PHONY: all deps test bench install clean
all: deps build/lib/libpcap.so.1 build/bin/pcap-run compat-tests-build

# Each area adds its targets (and DEB_PACKAGES += ...) in a .mk file of its own.
include native-build/build.mk
include $(sort $(wildcard compat-tests/*.mk bench/*.mk samples/*.mk))

deps: build/.deps
build/.deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections; \
		apt-get update -q && apt-get install -y -q --no-install-recommends $$missing; \
	fi
	@mkdir -p build && touch $@

test: all
	sh compat-tests/run-all.sh

bench: all
	sh bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/lib
	install -m 644 build/lib/libpcap.so.1 $(DESTDIR)$(PREFIX)/lib/libpcap.so.1
	ln -sf libpcap.so.1 $(DESTDIR)$(PREFIX)/lib/libpcap.so.0.8
	ln -sf libpcap.so.1 $(DESTDIR)$(PREFIX)/lib/libpcap.so
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 native-build/pcap-run.sh $(DESTDIR)$(PREFIX)/bin/pcap-run

clean:
	rm -rf build src/*/bin src/*/obj compat-tests/*/bin compat-tests/*/obj samples/*/bin samples/*/obj
