/*
 * poll-read: programs that wait on pcap_get_selectable_fd themselves (SharpPcap's GetNextPacket,
 * scanners' receive loops), the read timeout on an idle handle, how long handed-out pointers stay
 * readable, and pcap_breakloop from inside the callback.
 *
 * Usage: poll-read MODE IFACE FILTER COUNT [inject] [immediate]
 *   inject: COUNT UDP frames are sent from a second handle on IFACE once the capture handle is
 *   open (its outgoing frames reach the capture handle); otherwise the program prints "ready" and
 *   another program sends COUNT frames that FILTER accepts.
 *   immediate: the handle is in immediate mode (TPACKET_V2 on Linux instead of TPACKET_V3).
 * Modes (blocking handle, 1 ms timeout, FILTER installed, unless said otherwise):
 *   poll-next, epoll-next, select-next, poll-dispatch, epoll-dispatch, select-dispatch:
 *     for 2 s: wait 500 ms for the descriptor, then one pcap_next_ex or pcap_dispatch when it is
 *     readable. Prints "N of COUNT, quiet after: Q" (Q: the waits that timed out once every frame
 *     had come). A read that does not return within 3 s prints "HANG ..." and exits 3.
 *   idle-next, idle-dispatch: 100 ms timeout, nothing sent: one pcap_next_ex (pcap_dispatch);
 *     prints "returned R" or, if it has not returned after 2 s, "blocked" (exit 3).
 *   idle-block: timeout 0, nothing sent: pcap_next_ex must block (prints "blocked" after 2 s).
 *   idle-nonblock: non-blocking mode, nothing sent: pcap_next_ex returns at once ("returned R").
 *   keep-next: pcap_next_ex's header and data are checked against copies after further frames
 *     went through the ring (the ring is small, and wraps). Prints "kept K of N".
 *   keep-callback: pcap_dispatch of one packet at a time; the header and data handed to the
 *     callback are checked after pcap_dispatch returned, before the next read. Prints "kept K of N".
 *   breakloop: COUNT frames wait in the ring; pcap_loop's callback calls pcap_breakloop at the
 *     second packet. Prints pcap_loop's return, the packets it saw, then the frames the following
 *     pcap_dispatch calls deliver.
 */
#define _GNU_SOURCE
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static pcap_t *p;
static int got, count, immediate;
static const char *stage = "setup";

static void watchdog(int sig)
{
	(void)sig;
	char line[160];
	int n = snprintf(line, sizeof line, "HANG in %s after %d of %d packets\n", stage, got, count);
	if (write(1, line, (size_t)n) < 0)
		_exit(4);
	_exit(3);
}

static void blocked(int sig)
{
	(void)sig;
	if (write(1, "blocked\n", 8) < 0)
		_exit(4);
	_exit(3);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The frame number in a frame of ours (inject below, live-sender, netmap-send). */
static unsigned number(const struct pcap_pkthdr *h, const u_char *b)
{
	if (h->caplen >= 46 && b[12] == 0x08 && b[13] == 0x00)
		return (unsigned)b[42] << 24 | b[43] << 16 | b[44] << 8 | b[45];
	if (h->caplen >= 16)
		return (unsigned)b[14] << 8 | b[15];
	return ~0u;
}

/* Ethernet/IPv4/UDP from 10.77.0.2 to 10.77.0.1 port 7000, the frame number in the payload. */
static void inject(const char *dev, int n, int gap_us)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *o = pcap_open_live(dev, 128, 0, 1, errbuf);
	if (o == NULL) {
		printf("inject open: %s\n", errbuf);
		exit(1);
	}
	for (int i = 0; i < n; i++) {
		u_char f[60] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00, 0x45, 0, 0, 46 };
		f[22] = 64;
		f[23] = 17;
		memcpy(f + 26, "\x0a\x4d\x00\x02\x0a\x4d\x00\x01", 8);
		f[34] = 7000 >> 8; f[35] = 7000 & 0xff; f[36] = 7000 >> 8; f[37] = 7000 & 0xff;
		f[39] = 26;
		unsigned seq = (unsigned)(got + i + 1) | (unsigned)n << 16;
		f[42] = seq >> 24; f[43] = seq >> 16; f[44] = seq >> 8; f[45] = seq;
		for (int k = 46; k < 60; k++)
			f[k] = (u_char)(seq * 7 + k);
		if (pcap_inject(o, f, sizeof f) != (int)sizeof f) {
			printf("inject: %s\n", pcap_geterr(o));
			exit(1);
		}
		if (gap_us)
			usleep(gap_us);
	}
	pcap_close(o);
}

static void open_handle(const char *dev, const char *filter, int timeout, int bufsize)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	p = pcap_create(dev, errbuf);
	if (p == NULL || pcap_set_timeout(p, timeout) != 0 || pcap_set_snaplen(p, 256) != 0 ||
	    pcap_set_immediate_mode(p, immediate) != 0 ||
	    (bufsize && pcap_set_buffer_size(p, bufsize) != 0) || pcap_activate(p) < 0) {
		printf("open: %s\n", p ? pcap_geterr(p) : errbuf);
		exit(1);
	}
	if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0 || pcap_setfilter(p, &prog) < 0) {
		printf("filter: %s\n", pcap_geterr(p));
		exit(1);
	}
	pcap_freecode(&prog);
}

static void counted(u_char *u, const struct pcap_pkthdr *h, const u_char *b)
{
	(void)u;
	(void)h;
	(void)b;
	got++;
}

/* One read, watched: a read that blocks after the descriptor said readable is a hang. */
static int read_next(int dispatch, struct pcap_pkthdr **h, const u_char **d)
{
	stage = dispatch ? "pcap_dispatch" : "pcap_next_ex";
	alarm(3);
	int r = dispatch ? pcap_dispatch(p, -1, counted, NULL) : pcap_next_ex(p, h, d);
	alarm(0);
	if (r < 0) {
		printf("read: %d %s\n", r, pcap_geterr(p));
		exit(1);
	}
	if (!dispatch && r == 1)
		got++;
	return r;
}

static int poll_loop(const char *how, int dispatch)
{
	int fd = pcap_get_selectable_fd(p), quiet = 0, ep = -1;
	if (strcmp(how, "epoll") == 0) {
		struct epoll_event ev = { .events = EPOLLIN };
		ep = epoll_create1(0);
		if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
			perror("epoll");
			return 1;
		}
	}
	double end = now() + 2;
	while (now() < end) {
		int ready;
		stage = how;
		if (ep >= 0) {
			struct epoll_event ev;
			ready = epoll_wait(ep, &ev, 1, 500);
		} else if (strcmp(how, "select") == 0) {
			fd_set set;
			struct timeval tv = { 0, 500000 };
			FD_ZERO(&set);
			FD_SET(fd, &set);
			ready = select(fd + 1, &set, NULL, NULL, &tv);
		} else {
			struct pollfd pfd = { .fd = fd, .events = POLLIN };
			ready = poll(&pfd, 1, 500);
		}
		if (ready < 0) {
			perror(how);
			return 1;
		}
		if (ready == 0) {
			if (got >= count)
				quiet++;
			continue;
		}
		struct pcap_pkthdr *h;
		const u_char *d;
		read_next(dispatch, &h, &d);
	}
	printf("%d of %d, quiet after: %d\n", got, count, quiet);
	return got == count && quiet > 0 ? 0 : 1;
}

static int idle(const char *mode)
{
	struct pcap_pkthdr *h;
	const u_char *d;
	char errbuf[PCAP_ERRBUF_SIZE];
	if (strcmp(mode, "idle-nonblock") == 0 && pcap_setnonblock(p, 1, errbuf) < 0) {
		printf("setnonblock: %s\n", errbuf);
		return 1;
	}
	/* A read still blocked after 2 s blocks for good on an idle interface. */
	signal(SIGALRM, blocked);
	alarm(2);
	int r = strcmp(mode, "idle-dispatch") == 0 ? pcap_dispatch(p, -1, counted, NULL) : pcap_next_ex(p, &h, &d);
	alarm(0);
	printf("returned %d\n", r);
	return 0;
}

/* pcap_next_ex's pointers after more frames went round a small ring, before the next read. */
static int keep_next(const char *dev)
{
	int kept = 0, rounds = 4;
	for (int i = 0; i < rounds; i++) {
		struct pcap_pkthdr *h;
		const u_char *d;
		inject(dev, 1, 0);
		usleep(20000);
		int r;
		do
			r = read_next(0, &h, &d);
		while (r == 0);
		struct pcap_pkthdr hc = *h;
		u_char dc[256];
		memcpy(dc, d, h->caplen);
		/* Each frame alone in a block (1 ms timeout, 5 ms apart), more than the ring holds. */
		inject(dev, 24, 5000);
		usleep(20000);
		if (memcmp(&hc, h, sizeof hc) == 0 && memcmp(dc, d, hc.caplen) == 0)
			kept++;
		else
			printf("round %d: frame %08x now reads %08x\n", i, number(&hc, dc), number(h, d));
		/* Drain what was sent before the next round. */
		pcap_setnonblock(p, 1, (char[PCAP_ERRBUF_SIZE]){ 0 });
		while (pcap_dispatch(p, -1, counted, NULL) > 0)
			;
		pcap_setnonblock(p, 0, (char[PCAP_ERRBUF_SIZE]){ 0 });
	}
	printf("kept %d of %d\n", kept, rounds);
	return kept == rounds ? 0 : 1;
}

static const struct pcap_pkthdr *last_h;
static const u_char *last_d;
static struct pcap_pkthdr last_hc;
static u_char last_dc[256];

static void remember(u_char *u, const struct pcap_pkthdr *h, const u_char *b)
{
	(void)u;
	last_h = h;
	last_d = b;
	last_hc = *h;
	memcpy(last_dc, b, h->caplen);
	got++;
}

static int keep_callback(const char *dev)
{
	int kept = 0, rounds = 0;
	inject(dev, count, 0);
	double end = now() + 2;
	while (got < count && now() < end) {
		stage = "pcap_dispatch";
		alarm(3);
		int r = pcap_dispatch(p, 1, remember, NULL);
		alarm(0);
		if (r <= 0)
			continue;
		rounds++;
		/* No call between the read and these checks. */
		volatile const unsigned char *vh = (const unsigned char *)last_h, *vd = last_d;
		int same = 1;
		for (size_t k = 0; k < sizeof last_hc; k++)
			same &= vh[k] == ((const unsigned char *)&last_hc)[k];
		for (size_t k = 0; k < last_hc.caplen; k++)
			same &= vd[k] == last_dc[k];
		kept += same;
	}
	printf("kept %d of %d\n", kept, rounds);
	return kept == rounds && rounds == count ? 0 : 1;
}

static int stop_after = 2;

static void breaking(u_char *u, const struct pcap_pkthdr *h, const u_char *b)
{
	(void)u;
	printf("frame %u\n", number(h, b));
	if (++got == stop_after)
		pcap_breakloop(p);
}

static int breakloop(void)
{
	stage = "pcap_loop";
	alarm(5);
	int r = pcap_loop(p, -1, breaking, NULL);
	printf("pcap_loop returned %d after %d\n", r, got);
	stage = "pcap_dispatch";
	double end = now() + 2;
	while (got < count && now() < end)
		if (pcap_dispatch(p, -1, breaking, NULL) < 0)
			break;
	alarm(0);
	printf("%d of %d\n", got, count);
	return r == PCAP_ERROR_BREAK && got == count ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc < 5)
		return 2;
	const char *mode = argv[1], *dev = argv[2], *filter = argv[3];
	int self = 0;
	for (int i = 5; i < argc; i++) {
		self |= strcmp(argv[i], "inject") == 0;
		immediate |= strcmp(argv[i], "immediate") == 0;
	}
	count = atoi(argv[4]);
	signal(SIGALRM, watchdog);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strncmp(mode, "idle", 4) == 0) {
		open_handle(dev, filter, strcmp(mode, "idle-block") == 0 ? 0 : 100, 0);
		return idle(mode);
	}
	/* keep-next: a 1 MiB ring (four blocks on both libraries), so that it wraps quickly. */
	open_handle(dev, filter, 1, strcmp(mode, "keep-next") == 0 ? 1 << 20 : 0);
	if (strcmp(mode, "keep-next") == 0)
		return keep_next(dev);
	if (strcmp(mode, "keep-callback") == 0)
		return keep_callback(dev);
	if (self) {
		inject(dev, count, 0);
	} else {
		printf("ready\n");
		if (strcmp(mode, "breakloop") == 0)
			sleep(1); /* the frames come meanwhile and wait in the ring */
	}
	if (strcmp(mode, "breakloop") == 0)
		return breakloop();
	char how[16];
	const char *dash = strchr(mode, '-');
	if (dash == NULL || dash - mode >= (long)sizeof how)
		return 2;
	memcpy(how, mode, (size_t)(dash - mode));
	how[dash - mode] = 0;
	return poll_loop(how, strcmp(dash + 1, "dispatch") == 0);
}
