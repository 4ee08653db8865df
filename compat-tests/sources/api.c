/*
 * A capture through the API on any device, printing what a differential test compares: the
 * activation status and text, link types, snapshot, buffer size, the answers to pcap_inject and
 * pcap_setdirection, every packet (lengths and bytes), the read's return codes and pcap_stats.
 * "ready" goes to stderr once the handle is activated, so a script knows when to send traffic.
 *
 *   api DEVICE COUNT [-f FILTER] [-m loop|dispatch|next] [-b] [-t MS] [-s SNAPLEN] [-d DLT] [-n] [-x HEX]
 *
 * -b calls pcap_breakloop from the callback after the first packet (the read must return -2 and
 * the next read deliver the rest); -n sets non-blocking mode; -x injects HEX after activation;
 * -e S calls pcap_breakloop from a SIGALRM handler after S seconds (the read must return -2);
 * -w keeps the process alive for 3 s after pcap_close (it prints "closed"), so a test can see what
 * the close left behind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <pcap/pcap.h>

static pcap_t *p;
static int breakloop_after_first, seen, count;
static volatile sig_atomic_t alarmed;

static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
	pcap_breakloop(p);
}

/*
 * With DLT_NFLOG the two bytes of the group number (nfgenmsg res_id) and the data of the
 * NFULA_TIMESTAMP attribute (the kernel stamps each group's copy on its own) are printed as
 * "..", so two groups that log the same packets print the same.
 */
static void print_packet(const struct pcap_pkthdr *h, const u_char *d)
{
	u_int i, masked_from = 0, masked_to = 0, at;
	int nflog = pcap_datalink(p) == DLT_NFLOG;

	if (nflog) {
		for (at = 4; at + 4 <= h->caplen;) {
			u_int len = d[at] | d[at + 1] << 8, type = (d[at + 2] | d[at + 3] << 8) & 0x7fff;
			if (len < 4)
				break;
			if (type == 3) { /* NFULA_TIMESTAMP */
				masked_from = at + 4;
				masked_to = at + len;
			}
			at += (len + 3) & ~3u;
		}
	}
	printf("P %u %u ", h->caplen, h->len);
	for (i = 0; i < h->caplen; i++) {
		if (nflog && (i == 2 || i == 3 || (i >= masked_from && i < masked_to)))
			printf("..");
		else
			printf("%02x", d[i]);
	}
	printf("\n");
}

static void handler(u_char *user, const struct pcap_pkthdr *h, const u_char *d)
{
	(void)user;
	print_packet(h, d);
	seen++;
	if (breakloop_after_first && seen == 1)
		pcap_breakloop(p);
}

static int hexval(int c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	const char *filter = NULL, *mode = "loop", *inject = NULL;
	int timeout = 1000, snaplen = 0, dlt = -1, nonblock = 0, linger = 0, end_after = 0, rc, i, *dlts;
	struct bpf_program prog;
	struct pcap_stat st;

	if (argc < 3) {
		fprintf(stderr, "usage: api DEVICE COUNT [options]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	count = atoi(argv[2]);
	for (i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "-f") && i + 1 < argc) filter = argv[++i];
		else if (!strcmp(argv[i], "-m") && i + 1 < argc) mode = argv[++i];
		else if (!strcmp(argv[i], "-b")) breakloop_after_first = 1;
		else if (!strcmp(argv[i], "-t") && i + 1 < argc) timeout = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-s") && i + 1 < argc) snaplen = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-d") && i + 1 < argc) dlt = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-n")) nonblock = 1;
		else if (!strcmp(argv[i], "-w")) linger = 1;
		else if (!strcmp(argv[i], "-e") && i + 1 < argc) end_after = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-x") && i + 1 < argc) inject = argv[++i];
	}
	p = pcap_create(argv[1], errbuf);
	if (p == NULL) {
		printf("create NULL %s\n", errbuf);
		return 1;
	}
	if (snaplen)
		pcap_set_snaplen(p, snaplen);
	pcap_set_timeout(p, timeout);
	rc = pcap_activate(p);
	printf("activate %d %s\n", rc, rc ? pcap_geterr(p) : "");
	fflush(stdout);
	if (rc < 0)
		return 1;
	if (dlt >= 0) {
		rc = pcap_set_datalink(p, dlt);
		printf("set_datalink %d %s\n", rc, rc ? pcap_geterr(p) : "");
	}
	printf("datalink %d\n", pcap_datalink(p));
	rc = pcap_list_datalinks(p, &dlts);
	printf("datalinks");
	for (i = 0; i < rc; i++)
		printf(" %d", dlts[i]);
	printf("\n");
	if (rc > 0)
		pcap_free_datalinks(dlts);
	printf("snapshot %d\n", pcap_snapshot(p));
	printf("bufsize %d\n", pcap_bufsize(p));
	printf("selectable_fd %s\n", pcap_get_selectable_fd(p) >= 0 ? "yes" : "no");
	rc = pcap_setdirection(p, PCAP_D_IN);
	printf("setdirection %d %s\n", rc, rc ? pcap_geterr(p) : "");
	if (inject) {
		u_char frame[2048];
		size_t n = strlen(inject) / 2, k;
		for (k = 0; k < n && k < sizeof frame; k++)
			frame[k] = (u_char)(hexval(inject[2 * k]) << 4 | hexval(inject[2 * k + 1]));
		rc = pcap_inject(p, frame, n);
		printf("inject %d %s\n", rc, rc < 0 ? pcap_geterr(p) : "");
	}
	if (filter) {
		if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0 || pcap_setfilter(p, &prog) < 0) {
			printf("filter error %s\n", pcap_geterr(p));
			return 1;
		}
		pcap_freecode(&prog);
	}
	if (nonblock) {
		rc = pcap_setnonblock(p, 1, errbuf);
		printf("setnonblock %d getnonblock %d\n", rc, pcap_getnonblock(p, errbuf));
	}
	fflush(stdout);
	if (end_after) {
		/* No SA_RESTART: a read blocked in the kernel must return to see the break flag. */
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_alarm;
		sigaction(SIGALRM, &sa, NULL);
		alarm((unsigned)end_after);
	}
	fprintf(stderr, "ready\n");
	while (seen < count) {
		if (!strcmp(mode, "next")) {
			struct pcap_pkthdr *h;
			const u_char *d;
			rc = pcap_next_ex(p, &h, &d);
			if (rc == 1) {
				print_packet(h, d);
				seen++;
			} else if (rc < 0) {
				printf("next_ex %d %s\n", rc, pcap_geterr(p));
				break;
			}
		} else if (!strcmp(mode, "dispatch") || (breakloop_after_first && seen > 0)) {
			rc = pcap_dispatch(p, count - seen, handler, NULL);
			if (rc < 0) {
				printf("dispatch %d %s\n", rc, rc == -1 ? pcap_geterr(p) : "");
				break;
			}
		} else {
			rc = pcap_loop(p, count - seen, handler, NULL);
			printf("loop %d\n", rc);
			if (rc == -1) {
				printf("error %s\n", pcap_geterr(p));
				break;
			}
			if (rc == 0 || (rc == -2 && alarmed))
				break;
		}
		fflush(stdout);
	}
	if (pcap_stats(p, &st) == 0)
		printf("stats %u %u %u\n", st.ps_recv, st.ps_drop, st.ps_ifdrop);
	else
		printf("stats error %s\n", pcap_geterr(p));
	pcap_close(p);
	if (linger) {
		printf("closed\n");
		sleep(3);
	}
	return 0;
}
