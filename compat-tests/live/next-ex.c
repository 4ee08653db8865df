/*
 * next-ex: reads COUNT packets from IFACE with pcap_next_ex (timeout 100 ms, so idle reads return 0)
 * and prints each one's lengths and bytes, then pcap_next's; the packets come from the ring without
 * a copy, so this checks they stay intact until the next call. Time stamps are left out.
 * Usage: next-ex IFACE COUNT
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

static void print(const struct pcap_pkthdr *h, const u_char *data)
{
	printf("caplen %u len %u:", h->caplen, h->len);
	for (unsigned i = 0; i < h->caplen; i++)
		printf("%02x", data[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	if (argc < 3)
		return 2;
	int count = atoi(argv[2]);
	pcap_t *p = pcap_open_live(argv[1], 96, 0, 100, errbuf);
	if (p == NULL) {
		printf("open_live: %s\n", errbuf);
		return 1;
	}
	fprintf(stderr, "listening\n");
	struct pcap_pkthdr *h;
	const u_char *data;
	int got = 0, idle = 0;
	while (got < count && idle < 100) {
		int rc = pcap_next_ex(p, &h, &data);
		if (rc == 1) {
			print(h, data);
			got++;
		} else if (rc == 0) {
			idle++;
		} else {
			printf("pcap_next_ex = %d: %s\n", rc, pcap_geterr(p));
			break;
		}
	}
	struct pcap_pkthdr hdr;
	while (got < 2 * count && idle < 200) {
		const u_char *packet = pcap_next(p, &hdr);
		if (packet == NULL) {
			idle++;
			continue;
		}
		print(&hdr, packet);
		got++;
	}
	printf("%d packets\n", got);
	pcap_close(p);
	return 0;
}
