/*
 * flow-list: prints "SPORT SEQ" for each UDP/IPv4 frame of the flow sender in a savefile (read with
 * the system libpcap: the files under test were written by the processes being compared).
 * Usage: flow-list FILE
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	if (argc != 2) {
		fprintf(stderr, "usage: flow-list FILE\n");
		return 2;
	}
	pcap_t *p = pcap_open_offline(argv[1], err);
	if (p == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	struct pcap_pkthdr *h;
	const u_char *d;
	while (pcap_next_ex(p, &h, &d) == 1) {
		if (h->caplen < 14 + 20 + 8 + 12 || d[12] != 0x08 || d[13] != 0x00 || d[23] != 17)
			continue;
		const u_char *udp = d + 34;
		char seq[9] = { 0 };
		if (memcmp(udp + 8, "seq=", 4) != 0)
			continue;
		memcpy(seq, udp + 12, 8);
		printf("%u %s\n", (unsigned)(udp[0] << 8 | udp[1]), seq);
	}
	pcap_close(p);
	return 0;
}
