/*
 * selectable-epoll: an event loop on pcap_get_selectable_fd with epoll, as programs that watch
 * several descriptors do: a non-blocking handle (timeout 100 ms), epoll_wait (level-triggered) on
 * its descriptor, pcap_dispatch whenever it is readable, until COUNT packets came or 5 s passed.
 * Prints "ready" once listening (the sender waits for it), then the frame numbers seen, in order.
 * Usage: selectable-epoll IFACE COUNT
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>

static int seen;

static void packet(u_char *u, const struct pcap_pkthdr *h, const u_char *b)
{
	(void)u;
	/* The sender's frame number: the first four bytes of the UDP payload. */
	if (h->caplen >= 46)
		printf("frame %u len %u\n", (unsigned)b[42] << 24 | b[43] << 16 | b[44] << 8 | b[45], h->len);
	seen++;
}

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	if (argc < 3)
		return 2;
	int count = atoi(argv[2]);
	pcap_t *p = pcap_create(argv[1], errbuf);
	if (p == NULL || pcap_set_timeout(p, 100) != 0 || pcap_activate(p) < 0) {
		printf("open: %s\n", p ? pcap_geterr(p) : errbuf);
		return 1;
	}
	if (pcap_compile(p, &prog, "udp", 1, PCAP_NETMASK_UNKNOWN) < 0 || pcap_setfilter(p, &prog) < 0 ||
	    pcap_setnonblock(p, 1, errbuf) < 0) {
		printf("setup: %s\n", pcap_geterr(p));
		return 1;
	}
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN };
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, pcap_get_selectable_fd(p), &ev) < 0) {
		perror("epoll");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	time_t end = time(NULL) + 5;
	while (seen < count && time(NULL) < end) {
		struct epoll_event got;
		int n = epoll_wait(ep, &got, 1, 200);
		if (n < 0) {
			perror("epoll_wait");
			return 1;
		}
		if (n == 1 && pcap_dispatch(p, -1, packet, NULL) < 0) {
			printf("dispatch: %s\n", pcap_geterr(p));
			return 1;
		}
	}
	printf("%d of %d packets\n", seen, count);
	pcap_close(p);
	return seen == count ? 0 : 1;
}
