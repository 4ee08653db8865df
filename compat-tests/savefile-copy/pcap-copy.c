/*
 * pcap-copy IN OUT [-]: what `tcpdump -r IN -w OUT` does with libpcap, and nothing else:
 * pcap_open_offline, pcap_dump_open (OUT "-" is standard output), pcap_loop with pcap_dump as the
 * callback, pcap_dump_close. Prints libpcap's error text and exits non-zero as tcpdump would.
 * 55-tcpdump-write.sh runs it on both libraries beside tcpdump itself, so a difference in the
 * writer shows even while functions tcpdump needs at start-up are missing.
 */
#include <stdio.h>
#include <pcap/pcap.h>

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_dumper_t *d;
	pcap_t *p;
	int status;

	if (argc != 3) {
		fprintf(stderr, "usage: pcap-copy IN OUT\n");
		return 2;
	}
	p = pcap_open_offline(argv[1], errbuf);
	if (p == NULL) {
		fprintf(stderr, "%s\n", errbuf);
		return 1;
	}
	d = pcap_dump_open(p, argv[2]);
	if (d == NULL) {
		fprintf(stderr, "%s\n", pcap_geterr(p));
		return 1;
	}
	status = pcap_loop(p, -1, pcap_dump, (u_char *)d);
	if (status == PCAP_ERROR)
		fprintf(stderr, "%s\n", pcap_geterr(p));
	pcap_dump_close(d);
	pcap_close(p);
	return status == PCAP_ERROR ? 1 : 0;
}
