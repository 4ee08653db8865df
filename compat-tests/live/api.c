/*
 * api: calls the live-capture API in libpcap's documented orders and wrong orders and
 * prints every result and error text, one line each. Run once on the system libpcap and once on
 * ours (same namespace, same interfaces): the outputs must be equal.
 * Usage: live-api IFACE (an existing, up interface of the test's own namespace)
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <poll.h>

static void show(const char *what, int rc, pcap_t *p)
{
	printf("%s = %d", what, rc);
	if (p != NULL && rc != 0)
		printf(" [%s]", pcap_geterr(p));
	printf("\n");
}

static void open_live(const char *dev, int snap, int promisc, int to)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "untouched";
	pcap_t *p = pcap_open_live(dev, snap, promisc, to, errbuf);
	printf("open_live(%s, %d, %d, %d) = %s [%s]", dev, snap, promisc, to, p ? "handle" : "NULL", errbuf);
	if (p != NULL) {
		printf(" snapshot=%d datalink=%d", pcap_snapshot(p), pcap_datalink(p));
		pcap_close(p);
	}
	printf("\n");
}

static void tstamps(pcap_t *p, const char *label)
{
	int *types = NULL;
	int n = pcap_list_tstamp_types(p, &types);
	printf("%s list_tstamp_types = %d:", label, n);
	for (int i = 0; i < n; i++)
		printf(" %d", types[i]);
	printf("\n");
	if (n > 0)
		pcap_free_tstamp_types(types);
}

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "lo";
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	int rc0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	static u_char frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x88, 0xb5 };

	/* Options before and after activation. */
	p = pcap_create(dev, errbuf);
	printf("create(%s) = %s\n", dev, p ? "handle" : errbuf);
	if (p == NULL)
		return 1;
	show("set_snaplen(100)", pcap_set_snaplen(p, 100), p);
	show("set_promisc(1)", pcap_set_promisc(p, 1), p);
	show("set_timeout(50)", pcap_set_timeout(p, 50), p);
	show("set_buffer_size(-5)", pcap_set_buffer_size(p, -5), p);
	show("set_buffer_size(1<<20)", pcap_set_buffer_size(p, 1 << 20), p);
	show("set_immediate_mode(1)", pcap_set_immediate_mode(p, 1), p);
	show("set_tstamp_type(HOST)", pcap_set_tstamp_type(p, PCAP_TSTAMP_HOST), p);
	show("set_tstamp_type(ADAPTER)", pcap_set_tstamp_type(p, PCAP_TSTAMP_ADAPTER), p);
	show("set_tstamp_type(-1)", pcap_set_tstamp_type(p, -1), p);
	show("set_tstamp_precision(NANO)", pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO), p);
	show("set_tstamp_precision(7)", pcap_set_tstamp_precision(p, 7), p);
	show("set_tstamp_precision(MICRO)", pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_MICRO), p);
	show("set_protocol_linux(0)", pcap_set_protocol_linux(p, 0), p);
	show("can_set_rfmon", pcap_can_set_rfmon(p), p);
	tstamps(p, "unactivated");
	show("getnonblock(unactivated)", pcap_getnonblock(p, errbuf), p);
	show("setnonblock(unactivated, 1)", pcap_setnonblock(p, 1, errbuf), p);
	show("getnonblock(unactivated)", pcap_getnonblock(p, errbuf), p);
	show("setnonblock(unactivated, 0)", pcap_setnonblock(p, 0, errbuf), p);
	show("get_selectable_fd(unactivated) >= 0", pcap_get_selectable_fd(p) >= 0, p);
	printf("required_select_timeout(unactivated) = %s\n", pcap_get_required_select_timeout(p) ? "set" : "NULL");
	show("inject(unactivated)", pcap_inject(p, frame, sizeof frame), p);
	show("setdirection(unactivated)", pcap_setdirection(p, PCAP_D_IN), p);
	struct pcap_stat st;
	show("stats(unactivated)", pcap_stats(p, &st), p);
	show("activate", pcap_activate(p), p);
	show("activate again", pcap_activate(p), p);
	memset(&st, 0xff, sizeof st);
	rc0 = pcap_stats(p, &st);
	printf("stats = %d: recv %u drop %u ifdrop %u\n", rc0, st.ps_recv, st.ps_drop, st.ps_ifdrop);
	{
		/* The selectable descriptor works with poll: nothing to read on the idle interface. */
		struct pollfd pfd = { .fd = pcap_get_selectable_fd(p), .events = POLLIN };
		printf("poll(selectable_fd, 50 ms) = %d\n", poll(&pfd, 1, 50));
	}
	show("snapshot", pcap_snapshot(p), NULL);
	show("bufsize", pcap_bufsize(p), NULL);
	show("datalink", pcap_datalink(p), NULL);
	show("set_snaplen(after)", pcap_set_snaplen(p, 100), p);
	show("set_promisc(after)", pcap_set_promisc(p, 1), p);
	show("set_rfmon(after)", pcap_set_rfmon(p, 1), p);
	show("set_timeout(after)", pcap_set_timeout(p, 1), p);
	show("set_buffer_size(after)", pcap_set_buffer_size(p, 1 << 20), p);
	show("set_immediate_mode(after)", pcap_set_immediate_mode(p, 1), p);
	show("set_tstamp_type(after)", pcap_set_tstamp_type(p, 0), p);
	show("set_tstamp_precision(after)", pcap_set_tstamp_precision(p, 0), p);
	show("set_protocol_linux(after)", pcap_set_protocol_linux(p, 0), p);
	show("can_set_rfmon(after)", pcap_can_set_rfmon(p), p);
	tstamps(p, "activated");
	show("getnonblock", pcap_getnonblock(p, errbuf), p);
	show("setnonblock(1)", pcap_setnonblock(p, 1, errbuf), p);
	show("getnonblock", pcap_getnonblock(p, errbuf), p);
	show("setnonblock(0)", pcap_setnonblock(p, 0, errbuf), p);
	show("get_selectable_fd >= 0", pcap_get_selectable_fd(p) >= 0, p);
	printf("required_select_timeout = %s\n", pcap_get_required_select_timeout(p) ? "set" : "NULL");
	show("setdirection(IN)", pcap_setdirection(p, PCAP_D_IN), p);
	show("setdirection(7)", pcap_setdirection(p, 7), p);
	errno = EINVAL; /* libpcap formats these size errors with whatever errno holds */
	show("inject(0 bytes)", pcap_inject(p, frame, 0), p);
	errno = 0;
	show("inject(60)", pcap_inject(p, frame, sizeof frame), p);
	show("sendpacket(60)", pcap_sendpacket(p, frame, sizeof frame), p);
	errno = EINVAL;
	show("sendpacket(0)", pcap_sendpacket(p, frame, 0), p);
	errno = EINVAL;
	show("sendpacket(-1)", pcap_sendpacket(p, frame, -1), p);
	/* Larger than the device's MTU: the kernel refuses it, and the text is send's. */
	static u_char jumbo[9000];
	memcpy(jumbo, frame, sizeof frame);
	show("inject(9000)", pcap_inject(p, jumbo, sizeof jumbo), p);
	show("sendpacket(9000)", pcap_sendpacket(p, jumbo, sizeof jumbo), p);
	pcap_close(p);

	/* The "any" device: promisc warning, cooked link types, no sending. */
	p = pcap_create("any", errbuf);
	pcap_set_promisc(p, 1);
	show("any: activate promisc", pcap_activate(p), p);
	show("any: datalink", pcap_datalink(p), NULL);
	show("any: bufsize", pcap_bufsize(p), NULL);
	show("any: inject", pcap_inject(p, frame, sizeof frame), p);
	show("any: set_datalink(276)", pcap_set_datalink(p, 276), p);
	show("any: datalink", pcap_datalink(p), NULL);
	show("any: set_datalink(1)", pcap_set_datalink(p, 1), p);
	tstamps(p, "any");
	pcap_close(p);
	p = pcap_create(NULL, errbuf);
	show("NULL device: activate", pcap_activate(p), p);
	show("NULL device: datalink", pcap_datalink(p), NULL);
	pcap_close(p);

	/* Failures. */
	p = pcap_create("nosuchdev0", errbuf);
	show("nosuchdev0: activate", pcap_activate(p), p);
	pcap_close(p);
	p = pcap_create("abcdefghijklmnopqrstuvwxyz", errbuf);
	show("long name: activate", pcap_activate(p), p);
	pcap_close(p);
	p = pcap_create(dev, errbuf);
	pcap_set_rfmon(p, 1);
	show("rfmon: activate", pcap_activate(p), p);
	pcap_close(p);
	p = pcap_create(dev, errbuf);
	pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	show("nano: activate", pcap_activate(p), p);
	show("nano: get_tstamp_precision", pcap_get_tstamp_precision(p), NULL);
	show("nano: bufsize", pcap_bufsize(p), NULL);
	pcap_close(p);
	p = pcap_create(dev, errbuf);
	pcap_setnonblock(p, 1, errbuf);
	show("nonblock before activate: activate", pcap_activate(p), p);
	show("nonblock before activate: getnonblock", pcap_getnonblock(p, errbuf), p);
	show("nonblock: dispatch", pcap_dispatch(p, 1, NULL, NULL), p);
	pcap_close(p);

	open_live(dev, 0, 0, 10);
	open_live(dev, -3, 1, 10);
	open_live(dev, 70000, 0, 10);
	open_live("nosuchdev0", 100, 0, 10);
	open_live("any", 100, 1, 10);
	open_live("any", 10, 0, 10);
	open_live(dev, 10, 0, 10);

	/* A dead handle. */
	p = pcap_open_dead(DLT_EN10MB, 100);
	show("dead: inject", pcap_inject(p, frame, sizeof frame), p);
	show("dead: getnonblock", pcap_getnonblock(p, errbuf), p);
	show("dead: setnonblock", pcap_setnonblock(p, 1, errbuf), p);
	show("dead: setdirection", pcap_setdirection(p, PCAP_D_IN), p);
	show("dead: can_set_rfmon", pcap_can_set_rfmon(p), p);
	show("dead: activate", pcap_activate(p), p);
	show("dead: get_selectable_fd", pcap_get_selectable_fd(p), p);
	show("dead: set_snaplen", pcap_set_snaplen(p, 5), p);
	tstamps(p, "dead");
	pcap_close(p);

	/* lookupnet */
	bpf_u_int32 net = 1, mask = 1;
	int rc = pcap_lookupnet("any", &net, &mask, errbuf);
	printf("lookupnet(any) = %d %08x/%08x\n", rc, net, mask);
	rc = pcap_lookupnet(NULL, &net, &mask, errbuf);
	printf("lookupnet(NULL) = %d %08x/%08x\n", rc, net, mask);
	rc = pcap_lookupnet(dev, &net, &mask, errbuf);
	printf("lookupnet(%s) = %d %08x/%08x [%s]\n", dev, rc, net, mask, rc ? errbuf : "");
	rc = pcap_lookupnet("nosuchdev0", &net, &mask, errbuf);
	printf("lookupnet(nosuchdev0) = %d [%s]\n", rc, errbuf);
	rc = pcap_lookupnet("lo", &net, &mask, errbuf);
	printf("lookupnet(lo) = %d %08x/%08x [%s]\n", rc, net, mask, rc ? errbuf : "");
	return 0;
}
