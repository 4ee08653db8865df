/*
 * Every operation on a pcap_create'd handle that was never activated, with its return value and
 * the handle's error text, one line each: run on both libraries for each capture module's names
 * and compared. libpcap answers them all through pcap_not_initialized (PCAP_ERROR_NOT_ACTIVATED,
 * "This handle hasn't been activated yet"), except the few that work before activation.
 */
#include <stdio.h>
#include <string.h>
#include <pcap/pcap.h>

static void handler(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	(void)user; (void)h; (void)bytes;
}

static void show(pcap_t *p, const char *what, int rc)
{
	printf("%s %d %s\n", what, rc, pcap_geterr(p));
	pcap_geterr(p)[0] = '\0';
}

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	int i;

	for (i = 1; i < argc; i++) {
		pcap_t *p = pcap_create(argv[i], errbuf);
		struct pcap_pkthdr *h;
		const u_char *d;
		struct bpf_program prog;
		struct pcap_stat st;
		int *list = NULL;
		u_char frame[60];

		printf("== %s\n", argv[i]);
		if (p == NULL) {
			printf("pcap_create NULL %s\n", errbuf);
			continue;
		}
		memset(frame, 0xff, sizeof frame);
		show(p, "dispatch", pcap_dispatch(p, 1, handler, NULL));
		show(p, "loop", pcap_loop(p, 1, handler, NULL));
		show(p, "next_ex", pcap_next_ex(p, &h, &d));
		show(p, "inject", pcap_inject(p, frame, sizeof frame));
		show(p, "sendpacket", pcap_sendpacket(p, frame, sizeof frame));
		pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
		if (pcap_compile(dead, &prog, "ip", 1, 0) == 0) {
			show(p, "setfilter", pcap_setfilter(p, &prog));
			pcap_freecode(&prog);
		}
		pcap_close(dead);
		show(p, "setdirection", pcap_setdirection(p, PCAP_D_IN));
		show(p, "stats", pcap_stats(p, &st));
		errbuf[0] = '\0';
		printf("getnonblock %d %s\n", pcap_getnonblock(p, errbuf), errbuf);
		errbuf[0] = '\0';
		printf("setnonblock %d %s\n", pcap_setnonblock(p, 1, errbuf), errbuf);
		show(p, "datalink", pcap_datalink(p));
		show(p, "datalink_ext", pcap_datalink_ext(p));
		show(p, "snapshot", pcap_snapshot(p));
		show(p, "bufsize", pcap_bufsize(p));
		show(p, "list_datalinks", pcap_list_datalinks(p, &list));
		show(p, "set_datalink", pcap_set_datalink(p, DLT_EN10MB));
		show(p, "is_swapped", pcap_is_swapped(p));
		show(p, "major_version", pcap_major_version(p));
		show(p, "selectable_fd", pcap_get_selectable_fd(p));
		show(p, "fileno", pcap_fileno(p));
		show(p, "tstamp_precision", pcap_get_tstamp_precision(p));
		show(p, "compile", pcap_compile(p, &prog, "ip", 1, 0));
		{
			struct pcap_pkthdr hdr;
			printf("next %s\n", pcap_next(p, &hdr) == NULL ? "NULL" : "packet");
		}
		pcap_close(p);
	}
	return 0;
}
