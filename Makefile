# make          build build/lib/libpcap.so.1 (+ libpcap.so.0.8, libpcap.so) and build/bin/pcap-run
# make test     every test: export check, xunit, compat-tests; ends with "N passed, N failed"
# make bench    benchmarks side by side with the system libpcap
# make install  the library in $(LIBDIR), pcap-run and pcap-config in $(PREFIX)/bin, libpcap.pc in
#               $(PREFIX)/lib/pkgconfig, then ldconfig; never over the system's libpcap
# make uninstall removes what make install put there

PREFIX ?= /usr/local
CC ?= cc
# Debian packages the build and the tests drive; installed when missing.
DEB_PACKAGES := gcc make binutils libpcap-dev tcpdump iproute2 tshark ngrep tcpreplay
export DEBIAN_FRONTEND := noninteractive

.PHONY: all deps test bench install uninstall clean
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

# The library goes to a directory of its own: its SONAME is Debian's (libpcap.so.0.8), so in a
# directory on the loader's search path ldconfig would make every program on the machine load it.
# Programs built with libpcap.pc or pcap-config find it through their run path; pcap-run preloads it.
LIBDIR ?= $(PREFIX)/lib/pcap-cs
INSTALLED := $(LIBDIR)/libpcap.so.1 $(LIBDIR)/libpcap.so.0.8 $(LIBDIR)/libpcap.so \
	$(PREFIX)/bin/pcap-run $(PREFIX)/bin/pcap-config $(PREFIX)/lib/pkgconfig/libpcap.pc
install: all
	@for f in $(DESTDIR)$(LIBDIR)/libpcap.so.0.8 $(DESTDIR)$(LIBDIR)/libpcap.so.1; do \
		if [ -e $$f ] && ! [ -L $$f ] && ! strings $$f | grep -q 'Pcap: C# NativeAOT'; then \
			echo "make install: $$f is another libpcap; not overwriting it (choose PREFIX or LIBDIR)" >&2; exit 1; fi; done
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 755 build/lib/libpcap.so.1 $(DESTDIR)$(LIBDIR)/libpcap.so.1
	ln -sf libpcap.so.1 $(DESTDIR)$(LIBDIR)/libpcap.so.0.8
	ln -sf libpcap.so.1 $(DESTDIR)$(LIBDIR)/libpcap.so
	sed 's|^lib=.*|lib=$(LIBDIR)|' native-build/pcap-run.sh >$(DESTDIR)$(PREFIX)/bin/pcap-run
	sed 's|@LIBDIR@|$(LIBDIR)|g' native-build/pcap-config.in >$(DESTDIR)$(PREFIX)/bin/pcap-config
	chmod 755 $(DESTDIR)$(PREFIX)/bin/pcap-run $(DESTDIR)$(PREFIX)/bin/pcap-config
	sed 's|@PREFIX@|$(PREFIX)|g; s|@LIBDIR@|$(LIBDIR)|g' native-build/libpcap.pc.in >$(DESTDIR)$(PREFIX)/lib/pkgconfig/libpcap.pc
	$(if $(DESTDIR),,ldconfig)

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	-rmdir $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PREFIX)/lib/pkgconfig 2>/dev/null
	$(if $(DESTDIR),,ldconfig)

clean:
	rm -rf build src/*/bin src/*/obj compat-tests/*/bin compat-tests/*/obj samples/*/bin samples/*/obj
