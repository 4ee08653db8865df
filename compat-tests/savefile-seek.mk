# Savefiles the program moves (compat-tests/suites/23-savefile-seek.sh): sfseek, and tcpslice, a libpcap
# client that seeks in its savefiles.
DEB_PACKAGES += libpcap-dev tcpslice tcpdump
compat-tests-build: build/test/sfseek

build/test/sfseek: compat-tests/savefile-seek/sfseek.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap
