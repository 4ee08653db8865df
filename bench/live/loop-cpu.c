/*
 * loop-cpu: pcap_loop on IFACE with a callback that only counts, until SIGINT; then prints the
 * packets seen, the process's CPU time per packet in ns (getrusage) and pcap_stats' drops.
 * The library's own per-packet cost, without tcpdump's output work on top. With "next-ex",
 * pcap_next_ex in a loop instead (a packet a call, as SharpPcap's GetNextPacket reads).
 * Usage: loop-cpu IFACE [next-ex]
 */
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>

static pcap_t *p;
static unsigned long packets;

static void stop(int sig)
{
	(void)sig;
	pcap_breakloop(p);
}

static void count(u_char *u, const struct pcap_pkthdr *h, const u_char *b)
{
	(void)u; (void)h; (void)b;
	packets++;
}

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	if (argc < 2)
		return 2;
	p = pcap_open_live(argv[1], 262144, 0, 1000, errbuf);
	if (p == NULL) {
		fprintf(stderr, "%s\n", errbuf);
		return 1;
	}
	signal(SIGINT, stop);
	fprintf(stderr, "listening\n");
	struct rusage r0, r1;
	getrusage(RUSAGE_SELF, &r0);
	if (argc > 2) {
		struct pcap_pkthdr *h;
		const u_char *d;
		int r;
		while ((r = pcap_next_ex(p, &h, &d)) >= 0)
			packets += (unsigned)r;
	} else {
		pcap_loop(p, -1, count, NULL);
	}
	getrusage(RUSAGE_SELF, &r1);
	struct pcap_stat st;
	pcap_stats(p, &st);
	double ns = (r1.ru_utime.tv_sec - r0.ru_utime.tv_sec + r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) * 1e9 +
	    (r1.ru_utime.tv_usec - r0.ru_utime.tv_usec + r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) * 1e3;
	printf("%.1f %lu %u\n", packets ? ns / packets : 0, packets, st.ps_drop);
	return 0;
}
