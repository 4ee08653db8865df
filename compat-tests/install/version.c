/*
 * install-check CAPTURE: a program built against an installed libpcap with pkg-config or
 * pcap-config (compat-tests/suites/86-install.sh). Prints pcap_lib_version() and the number of
 * packets pcap_loop reads from CAPTURE.
 */
#include <pcap/pcap.h>
#include <stdio.h>

static void count(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	(void)h;
	(void)data;
	++*(int *)user;
}

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	int n = 0;
	if (argc < 2)
		return 2;
	pcap_t *p = pcap_open_offline(argv[1], err);
	if (p == NULL || pcap_loop(p, -1, count, (u_char *)&n) < 0) {
		fprintf(stderr, "install-check: %s\n", p ? pcap_geterr(p) : err);
		return 1;
	}
	pcap_close(p);
	printf("%s\n%d packets\n", pcap_lib_version(), n);
	return 0;
}
