/*
 * stats: pcap_stats on a handle that does not read while frames arrive (the ring overflows), then
 * after reading everything that waited. Usage: stats IFACE SECONDS
 * Opens IFACE (100 ms timeout), prints "ready", sleeps SECONDS (another program sends meanwhile),
 * prints "before: recv R drop D", reads with pcap_dispatch until a read times out, prints
 * "after: delivered N recv R drop D".
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void count(u_char *user, const struct pcap_pkthdr *h, const u_char *b)
{
	(void)h; (void)b;
	++*(long *)user;
}

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	if (argc != 3)
		return 2;
	pcap_t *p = pcap_create(argv[1], errbuf);
	if (p == NULL) {
		printf("create: %s\n", errbuf);
		return 1;
	}
	pcap_set_timeout(p, 100);
	if (pcap_activate(p) < 0) {
		printf("activate: %s\n", pcap_geterr(p));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	sleep((unsigned)atoi(argv[2]));
	struct pcap_stat st;
	if (pcap_stats(p, &st) < 0) {
		printf("stats: %s\n", pcap_geterr(p));
		return 1;
	}
	printf("before: recv %u drop %u\n", st.ps_recv, st.ps_drop);
	long delivered = 0;
	int rc;
	while ((rc = pcap_dispatch(p, -1, count, (u_char *)&delivered)) > 0)
		;
	if (rc < 0 || pcap_stats(p, &st) < 0) {
		printf("read: %s\n", pcap_geterr(p));
		return 1;
	}
	printf("after: delivered %ld recv %u drop %u\n", delivered, st.ps_recv, st.ps_drop);
	pcap_close(p);
	return 0;
}
