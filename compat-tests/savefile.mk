# Savefile reading: the breakloop signal test, sfread (prints everything a program sees of a savefile)
# and sfcorpus (writes sound and broken savefiles).
DEB_PACKAGES += libpcap-dev tcpdump
compat-tests-build: build/test/breakloop build/test/sfread build/test/sfcorpus

build/test/breakloop: compat-tests/breakloop/breakloop.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap -lpthread

build/test/sfread: compat-tests/savefile/sfread.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -lpcap

build/test/sfcorpus: compat-tests/savefile/sfcorpus.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<
