/*
 * sfread: prints everything a pcap program can see of a savefile (open error, file
 * properties, every packet header with a hash of its bytes, the final status and error
 * text), so the same file read through two libpcaps can be compared line by line.
 * Usage: sfread [-n] [-m loop|next_ex|next|dispatch|breaks|loop-breaks] FILE ("-" is standard input)
 * (breaks, loop-breaks: pcap_dispatch by fives, or pcap_loop, with pcap_breakloop in every 7th callback)
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Weak so that the tool runs on a library that does not define it yet (prints -999). */
extern int pcap_datalink(pcap_t *) __attribute__((weak));

static unsigned long packets;

static unsigned hash(const u_char *d, unsigned n)
{
	unsigned h = 2166136261u;
	for (unsigned i = 0; i < n; i++)
		h = (h ^ d[i]) * 16777619u;
	return h;
}

static void show(const struct pcap_pkthdr *h, const u_char *d)
{
	printf("%ld.%09ld %u %u %08x\n", (long)h->ts.tv_sec, (long)h->ts.tv_usec, h->caplen, h->len, hash(d, h->caplen));
	packets++;
}

static void callback(u_char *user, const struct pcap_pkthdr *h, const u_char *d)
{
	(void)user;
	show(h, d);
}

/* Calls pcap_breakloop from inside the handler on every 7th packet. */
static void breaking_callback(u_char *user, const struct pcap_pkthdr *h, const u_char *d)
{
	show(h, d);
	if (packets % 7 == 0)
		pcap_breakloop((pcap_t *)user);
}

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	const char *mode = "loop";
	int precision = PCAP_TSTAMP_PRECISION_MICRO, opt, status = 0;

	while ((opt = getopt(argc, argv, "nm:")) != -1) {
		if (opt == 'n')
			precision = PCAP_TSTAMP_PRECISION_NANO;
		else if (opt == 'm')
			mode = optarg;
		else
			return 2;
	}
	if (optind >= argc)
		return 2;
	pcap_t *p = pcap_open_offline_with_tstamp_precision(argv[optind], precision, errbuf);
	if (p == NULL) {
		printf("open error: %s\n", errbuf);
		return 0;
	}
	printf("linktype %d snapshot %d swapped %d version %d.%d precision %d bufsize %d\n", pcap_datalink ? pcap_datalink(p) : -999,
	    pcap_snapshot(p), pcap_is_swapped(p), pcap_major_version(p), pcap_minor_version(p),
	    pcap_get_tstamp_precision(p), pcap_bufsize(p));
	if (strcmp(mode, "loop") == 0) {
		status = pcap_loop(p, -1, callback, NULL);
	} else if (strcmp(mode, "dispatch") == 0) {
		while ((status = pcap_dispatch(p, 3, callback, NULL)) > 0)
			;
	} else if (strcmp(mode, "breaks") == 0) {
		while ((status = pcap_dispatch(p, 5, breaking_callback, (u_char *)p)) != 0 && status != -1)
			printf("dispatch %d\n", status);
	} else if (strcmp(mode, "loop-breaks") == 0) {
		while ((status = pcap_loop(p, -1, breaking_callback, (u_char *)p)) == -2)
			printf("loop %d\n", status);
	} else if (strcmp(mode, "next") == 0) {
		struct pcap_pkthdr h;
		const u_char *d;
		while ((d = pcap_next(p, &h)) != NULL)
			show(&h, d);
	} else {
		struct pcap_pkthdr *h;
		const u_char *d;
		while ((status = pcap_next_ex(p, &h, &d)) == 1)
			show(h, d);
	}
	printf("status %d packets %lu bufsize %d error \"%s\"\n", status, packets, pcap_bufsize(p),
	    status == -1 || strcmp(mode, "next") == 0 ? pcap_geterr(p) : "");
	pcap_close(p);
	return 0;
}
