/* Live capture on Linux (pcap_create, pcap_activate, pcap_findalldevs, pcap_inject, pcap_stats,
 * pcap_breakloop, non-blocking mode...). Each check runs in a network namespace of its own, made with
 * unshare() in the check's process, holding a veth pair va/vb (10.9.0.1/24 on va): the namespace and
 * the pair vanish when the check ends. Nothing outside it is touched. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>
#include <net/if.h>
#include <arpa/inet.h>
#include "harness.h"

static void fresh_namespace(void)
{
	if (geteuid() != 0)
		skip("live checks need root (a network namespace of their own)");
	if (unshare(CLONE_NEWNET) != 0)
		skip("no network namespace: unshare(CLONE_NEWNET): %s", strerror(errno));
	EXPECT(system("ip link set lo up && ip link add va type veth peer name vb && "
		      "ip addr add 10.9.0.1/24 brd + dev va && ip link set va up && ip link set vb up") == 0,
	    "cannot create the veth pair");
	/* Let both ends reach "running" before a test relies on it. */
	for (int i = 0; i < 100 && system("ip -o link show va | grep -q LOWER_UP") != 0; i++)
		usleep(20000);
}

static pcap_t *active(const char *device, int snaplen, int timeout_ms)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_create(device, errbuf);
	int status;
	EXPECT(p != NULL, "pcap_create(%s): %s", device, errbuf);
	EXPECT_INT(pcap_set_snaplen(p, snaplen), 0);
	EXPECT_INT(pcap_set_timeout(p, timeout_ms), 0);
	EXPECT_INT(pcap_set_immediate_mode(p, 1), 0);
	status = pcap_activate(p);
	EXPECT(status == 0, "pcap_activate(%s) = %d: %s", device, status, pcap_geterr(p));
	return p;
}

static void make_frame(unsigned char *f, int i)
{
	static const unsigned char dst[6] = { 0x02, 0, 0, 0, 0, 0xaa }, src[6] = { 0x02, 0, 0, 0, 0, 0xbb };
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x88; /* local experimental ethertype 0x88b5 */
	f[13] = 0xb5;
	for (int j = 14; j < 60; j++)
		f[j] = (unsigned char)(i + j);
}

CHECK(live_findalldevs)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *all;
	int seen_any = 0, seen_lo = 0, seen_va = 0;

	fresh_namespace();
	EXPECT_INT(pcap_findalldevs(&all, errbuf), 0);
	for (pcap_if_t *d = all; d != NULL; d = d->next) {
		if (strcmp(d->name, "any") == 0) {
			seen_any = 1;
			EXPECT_STR(d->description, "Pseudo-device that captures on all interfaces");
			EXPECT_INT(d->flags, PCAP_IF_UP | PCAP_IF_RUNNING | PCAP_IF_CONNECTION_STATUS_NOT_APPLICABLE);
		} else if (strcmp(d->name, "lo") == 0) {
			seen_lo = 1;
			EXPECT_INT(d->flags, PCAP_IF_LOOPBACK | PCAP_IF_UP | PCAP_IF_RUNNING | PCAP_IF_CONNECTION_STATUS_NOT_APPLICABLE);
		} else if (strcmp(d->name, "va") == 0) {
			seen_va = 1;
			EXPECT_INT(d->flags, PCAP_IF_UP | PCAP_IF_RUNNING | PCAP_IF_CONNECTION_STATUS_CONNECTED);
			for (pcap_addr_t *a = d->addresses; a != NULL; a = a->next)
				if (a->addr != NULL && a->addr->sa_family == AF_INET) {
					EXPECT_INT(((struct sockaddr_in *)a->addr)->sin_addr.s_addr, htonl(0x0a090001));
					EXPECT_INT(((struct sockaddr_in *)a->netmask)->sin_addr.s_addr, htonl(0xffffff00));
					EXPECT_INT(((struct sockaddr_in *)a->broadaddr)->sin_addr.s_addr, htonl(0x0a0900ff));
					seen_va = 2;
				}
		}
	}
	EXPECT(seen_any && seen_lo, "any or lo missing");
	EXPECT(seen_va == 2, "va or its IPv4 address missing");
	pcap_freealldevs(all);
}

CHECK(live_lookupnet)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	bpf_u_int32 net, mask;
	fresh_namespace();
	EXPECT_INT(pcap_lookupnet("va", &net, &mask, errbuf), 0);
	EXPECT_INT(net, htonl(0x0a090000));
	EXPECT_INT(mask, htonl(0xffffff00));
	EXPECT_INT(pcap_lookupnet("nosuchdev0", &net, &mask, errbuf), PCAP_ERROR);
	EXPECT_STR(errbuf, "SIOCGIFADDR: nosuchdev0: No such device");
}

CHECK(live_activate_accessors)
{
	pcap_t *p;
	int *dlts, n;
	fresh_namespace();
	p = active("va", 100, 100);
	EXPECT_INT(pcap_datalink(p), DLT_EN10MB);
	EXPECT_INT(pcap_snapshot(p), 100);
	EXPECT(pcap_get_selectable_fd(p) >= 0, "no selectable fd");
	n = pcap_list_datalinks(p, &dlts);
	EXPECT_INT(n, 2);
	EXPECT_INT(dlts[0], DLT_EN10MB);
	EXPECT_INT(dlts[1], DLT_DOCSIS);
	pcap_free_datalinks(dlts);
	EXPECT_INT(pcap_activate(p), PCAP_ERROR_ACTIVATED);
	EXPECT_INT(pcap_set_snaplen(p, 10), PCAP_ERROR_ACTIVATED);
	EXPECT_STR(pcap_geterr(p), "can't perform  operation on activated capture");
	pcap_close(p);
}

/* An out-of-range snap length becomes the maximum, 262144. */
CHECK(live_snaplen_out_of_range)
{
	static const int lens[] = { 0, -5, 1000000 };
	fresh_namespace();
	for (unsigned i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		pcap_t *p = active("va", lens[i], 100);
		EXPECT_INT(pcap_snapshot(p), 262144);
		pcap_close(p);
	}
}

CHECK(live_inject_capture_stats)
{
	unsigned char f[60];
	pcap_t *rx, *tx;
	struct pcap_stat st;
	int got = 0;

	fresh_namespace();
	rx = active("va", 65535, 100);
	tx = active("vb", 65535, 100);
	for (int i = 0; i < 5; i++) {
		make_frame(f, i);
		EXPECT_INT(pcap_inject(tx, f, sizeof f), 60);
	}
	EXPECT_INT(pcap_sendpacket(tx, f, sizeof f), 0);
	for (int tries = 0; got < 6 && tries < 200; tries++) {
		struct pcap_pkthdr *h;
		const u_char *data;
		int r = pcap_next_ex(rx, &h, &data);
		EXPECT(r >= 0, "pcap_next_ex = %d: %s", r, pcap_geterr(rx));
		if (r == 1 && h->caplen == 60 && data[12] == 0x88 && data[13] == 0xb5) {
			EXPECT_INT(data[14], (got < 5 ? got : 4) + 14);
			EXPECT_INT(h->len, 60);
			got++;
		}
	}
	EXPECT_INT(got, 6);
	EXPECT_INT(pcap_stats(rx, &st), 0);
	EXPECT(st.ps_recv >= 6, "ps_recv %u", st.ps_recv);
	EXPECT_INT(st.ps_drop, 0);
	pcap_close(rx);
	pcap_close(tx);
}

static void *break_later(void *p)
{
	usleep(200000);
	pcap_breakloop((pcap_t *)p);
	return NULL;
}

static void ignore(u_char *u, const struct pcap_pkthdr *h, const u_char *d)
{
	(void)u; (void)h; (void)d;
}

/* pcap_breakloop from another thread ends an idle pcap_loop with -2. The timeout is 1 s, so the
 * loop wakes at least then and sees the flag (libpcap 1.10 wakes a blocked poll at once too). */
CHECK(live_breakloop_from_thread)
{
	pthread_t t;
	pcap_t *p;
	fresh_namespace();
	p = active("va", 65535, 1000);
	EXPECT_INT(pcap_setfilter(p, &(struct bpf_program){ 1, (struct bpf_insn[]){ BPF_STMT(BPF_RET | BPF_K, 0) } }), 0);
	pthread_create(&t, NULL, break_later, p);
	EXPECT_INT(pcap_loop(p, -1, ignore, NULL), PCAP_ERROR_BREAK);
	pthread_join(t, NULL);
	pcap_close(p);
}

CHECK(live_nonblock)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	fresh_namespace();
	p = active("va", 65535, 1000);
	EXPECT_INT(pcap_getnonblock(p, errbuf), 0);
	EXPECT_INT(pcap_setnonblock(p, 1, errbuf), 0);
	EXPECT_INT(pcap_getnonblock(p, errbuf), 1);
	EXPECT_INT(pcap_setfilter(p, &(struct bpf_program){ 1, (struct bpf_insn[]){ BPF_STMT(BPF_RET | BPF_K, 0) } }), 0);
	EXPECT_INT(pcap_dispatch(p, -1, ignore, NULL), 0); /* nothing there: 0 at once */
	pcap_close(p);
}

CHECK(live_setdirection)
{
	pcap_t *p;
	fresh_namespace();
	p = active("va", 65535, 100);
	EXPECT_INT(pcap_setdirection(p, PCAP_D_IN), 0);
	EXPECT_INT(pcap_setdirection(p, PCAP_D_INOUT), 0);
	pcap_close(p);
}

CHECK(live_any_device)
{
	pcap_t *p;
	unsigned char f[60] = { 0 };
	fresh_namespace();
	p = active("any", 65535, 100);
	EXPECT_INT(pcap_datalink(p), DLT_LINUX_SLL);
	EXPECT_INT(pcap_set_datalink(p, DLT_LINUX_SLL2), 0);
	EXPECT_INT(pcap_datalink(p), DLT_LINUX_SLL2);
	EXPECT_INT(pcap_inject(p, f, sizeof f), PCAP_ERROR);
	EXPECT_STR(pcap_geterr(p), "Sending packets isn't supported on the \"any\" device");
	pcap_close(p);
}

CHECK(live_open_live)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	fresh_namespace();
	p = pcap_open_live("va", 0, 1, 100, errbuf);
	EXPECT(p != NULL, "pcap_open_live(va): %s", errbuf);
	EXPECT_INT(pcap_snapshot(p), 262144);
	EXPECT_INT(pcap_datalink(p), DLT_EN10MB);
	pcap_close(p);
}

CHECK(live_created_options)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	int *types, n;
	fresh_namespace();
	p = pcap_create("va", errbuf);
	EXPECT(p != NULL, "pcap_create: %s", errbuf);
	EXPECT_INT(pcap_can_set_rfmon(p), 0);
	EXPECT_INT(pcap_set_protocol_linux(p, 0x0800), 0);
	n = pcap_list_tstamp_types(p, &types);
	EXPECT(n >= 1, "pcap_list_tstamp_types = %d", n);
	EXPECT_INT(types[0], PCAP_TSTAMP_HOST);
	pcap_free_tstamp_types(types);
	EXPECT_INT(pcap_bufsize(p), PCAP_ERROR_NOT_ACTIVATED);
	pcap_close(p);
}

CHECK(live_interface_down)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	fresh_namespace();
	EXPECT(system("ip link set va down") == 0, "ip link set va down");
	p = pcap_create("va", errbuf);
	EXPECT_INT(pcap_activate(p), PCAP_ERROR_IFACE_NOT_UP);
	pcap_close(p);
}

/* A dumper on a live handle: the header has the handle's link type, snap length and precision, and
 * the captured frames are written as captured. */
CHECK(live_dump_nano_header_and_records)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	unsigned char f[60], file[1024];
	pcap_t *rx, *tx;
	pcap_dumper_t *d;
	int got = 0;
	uint32_t hdr[6];

	fresh_namespace();
	rx = pcap_create("va", errbuf);
	EXPECT(rx != NULL, "pcap_create: %s", errbuf);
	pcap_set_snaplen(rx, 50);
	pcap_set_timeout(rx, 100);
	pcap_set_immediate_mode(rx, 1);
	EXPECT_INT(pcap_set_tstamp_precision(rx, PCAP_TSTAMP_PRECISION_NANO), 0);
	EXPECT_INT(pcap_activate(rx), 0);
	tx = active("vb", 65535, 100);
	d = pcap_dump_open(rx, scratch("live.pcap"));
	EXPECT(d != NULL, "pcap_dump_open: %s", pcap_geterr(rx));
	make_frame(f, 7);
	EXPECT_INT(pcap_inject(tx, f, sizeof f), 60);
	for (int tries = 0; got == 0 && tries < 100; tries++) {
		struct pcap_pkthdr *h;
		const u_char *data;
		if (pcap_next_ex(rx, &h, &data) == 1 && h->len == 60 && data[12] == 0x88) {
			EXPECT_INT(h->caplen, 50);
			EXPECT(h->ts.tv_usec < 1000000000, "fraction %ld is not nanoseconds", (long)h->ts.tv_usec);
			pcap_dump((u_char *)d, h, data);
			got = 1;
		}
	}
	EXPECT(got, "the injected frame never arrived");
	pcap_dump_close(d);
	EXPECT_INT(read_bytes(scratch("live.pcap"), file, sizeof file), 24 + 16 + 50);
	memcpy(hdr, file, 24);
	EXPECT_INT(hdr[0], 0xa1b23c4du);
	EXPECT_INT(hdr[4], 50);
	EXPECT_INT(hdr[5], DLT_EN10MB);
	EXPECT(memcmp(file + 40, f, 50) == 0, "frame bytes differ");
	pcap_close(rx);
	pcap_close(tx);
}

/* pcap_create(NULL) is the "any" device. */
CHECK(live_create_null_is_any)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	fresh_namespace();
	p = pcap_create(NULL, errbuf);
	EXPECT(p != NULL, "pcap_create(NULL): %s", errbuf);
	EXPECT_INT(pcap_activate(p), 0);
	EXPECT_INT(pcap_datalink(p), DLT_LINUX_SLL);
	pcap_close(p);
}

CHECK(live_lookupdev)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *all;
	char *dev;
	fresh_namespace();
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	dev = pcap_lookupdev(errbuf);
#pragma GCC diagnostic pop
	EXPECT(dev != NULL, "pcap_lookupdev: %s", errbuf);
	/* The first device pcap_findalldevs lists, loopback devices excepted (they come last anyway). */
	EXPECT_INT(pcap_findalldevs(&all, errbuf), 0);
	EXPECT(all != NULL && !(all->flags & PCAP_IF_LOOPBACK), "first device is loopback or none");
	EXPECT_STR(dev, all->name);
	pcap_freealldevs(all);
}

CHECK(live_handle_details)
{
	pcap_t *p;
	fresh_namespace();
	p = active("va", 65535, 100);
	EXPECT(pcap_file(p) == NULL, "pcap_file of a live handle");
	EXPECT(pcap_fileno(p) >= 0, "no descriptor");
	EXPECT_INT(pcap_datalink_ext(p), 0);
	EXPECT_INT(pcap_is_swapped(p), 0);
	EXPECT(pcap_get_required_select_timeout(p) == NULL, "Linux needs no select timeout");
	EXPECT_INT(pcap_set_datalink(p, DLT_DOCSIS), 0); /* an Ethernet device offers DOCSIS */
	EXPECT_INT(pcap_datalink(p), DLT_DOCSIS);
	EXPECT_INT(pcap_set_datalink(p, DLT_EN10MB), 0);
	pcap_close(p);
}

static pcap_t *signalled;
static volatile int stats_in_handler = 99;

static void on_usr1(int sig)
{
	struct pcap_stat st;
	(void)sig;
	/* What tcpdump does: statistics on SIGUSR1, pcap_breakloop on SIGINT. */
	stats_in_handler = pcap_stats(signalled, &st);
	pcap_breakloop(signalled);
}

static void *signal_later(void *unused)
{
	(void)unused;
	usleep(200000);
	kill(getpid(), SIGUSR1);
	return NULL;
}

/* pcap_stats and pcap_breakloop from a signal handler stop an idle live pcap_loop with -2. */
CHECK(live_breakloop_from_signal_handler)
{
	struct sigaction sa;
	pthread_t t;
	fresh_namespace();
	signalled = active("va", 65535, 1000);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	EXPECT_INT(pcap_setfilter(signalled, &(struct bpf_program){ 1, (struct bpf_insn[]){ BPF_STMT(BPF_RET | BPF_K, 0) } }), 0);
	pthread_create(&t, NULL, signal_later, NULL);
	EXPECT_INT(pcap_loop(signalled, -1, ignore, NULL), PCAP_ERROR_BREAK);
	pthread_join(t, NULL);
	EXPECT_INT(stats_in_handler, 0);
	pcap_close(signalled);
}

/* Non-blocking mode asked for before activation is applied by pcap_activate. */
CHECK(live_nonblock_before_activation)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	fresh_namespace();
	p = pcap_create("va", errbuf);
	EXPECT(p != NULL, "pcap_create: %s", errbuf);
	EXPECT_INT(pcap_setnonblock(p, 1, errbuf), 0);
	EXPECT_INT(pcap_getnonblock(p, errbuf), PCAP_ERROR_NOT_ACTIVATED);
	EXPECT_INT(pcap_activate(p), 0);
	EXPECT_INT(pcap_getnonblock(p, errbuf), 1);
	pcap_close(p);
}
