# Savefile reading: the breakloop signal test and sfread, a printer of everything a program sees of a savefile.
DEB_PACKAGES += libpcap-dev tcpdump
compat-tests-build: build/test/breakloop build/test/sfread

build/test/breakloop: compat-tests/breakloop/breakloop.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap -lpthread

build/test/sfread: compat-tests/savefile/sfread.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap
