/* pcap_open_dead(3PCAP): a handle for compiling and writing only. */
#include "harness.h"

CHECK(dead_accessors)
{
	pcap_t *p = pcap_open_dead(DLT_LINUX_SLL, 1500);
	EXPECT(p != NULL, "pcap_open_dead failed");
	EXPECT_INT(pcap_datalink(p), DLT_LINUX_SLL);
	EXPECT_INT(pcap_snapshot(p), 1500);
	EXPECT_INT(pcap_datalink_ext(p), 0);
	EXPECT_INT(pcap_is_swapped(p), 0);
	EXPECT_INT(pcap_major_version(p), 0);
	EXPECT_INT(pcap_minor_version(p), 0);
	EXPECT(pcap_file(p) == NULL, "pcap_file of a dead handle");
	EXPECT_INT(pcap_get_tstamp_precision(p), PCAP_TSTAMP_PRECISION_MICRO);
	pcap_close(p);
}

/* The snap length is kept as given, even 0, negative or huge. */
CHECK(dead_snaplen_as_given)
{
	static const int lens[] = { 0, -5, 1, 262144, 1000000 };
	for (unsigned i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		pcap_t *p = pcap_open_dead(DLT_EN10MB, lens[i]);
		EXPECT_INT(pcap_snapshot(p), lens[i]);
		pcap_close(p);
	}
}

CHECK(dead_nano_precision)
{
	pcap_t *p = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
	EXPECT_INT(pcap_get_tstamp_precision(p), PCAP_TSTAMP_PRECISION_NANO);
	pcap_close(p);
}

CHECK(dead_refusals)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_stat st;
	struct pcap_pkthdr *h;
	const u_char *data;

	EXPECT_INT(pcap_stats(p, &st), PCAP_ERROR);
	EXPECT_STR(pcap_geterr(p), "Statistics aren't available from a pcap_open_dead pcap_t");
	EXPECT_INT(pcap_next_ex(p, &h, &data), PCAP_ERROR);
	EXPECT_STR(pcap_geterr(p), "Packets aren't available from a pcap_open_dead pcap_t");
	EXPECT_INT(pcap_dispatch(p, 1, NULL, NULL), PCAP_ERROR);
	EXPECT_INT(pcap_inject(p, "abc", 3), PCAP_ERROR);
	EXPECT_STR(pcap_geterr(p), "Packets can't be sent on a pcap_open_dead pcap_t");
	EXPECT_INT(pcap_sendpacket(p, (const u_char *)"abc", 3), PCAP_ERROR);
	EXPECT_INT(pcap_setdirection(p, PCAP_D_IN), PCAP_ERROR);
	EXPECT_STR(pcap_geterr(p), "The packet direction cannot be set on a pcap_open_dead pcap_t");
	EXPECT_INT(pcap_setnonblock(p, 1, errbuf), PCAP_ERROR);
	EXPECT_STR(errbuf, "A pcap_open_dead pcap_t does not have a non-blocking mode setting");
	EXPECT_INT(pcap_activate(p), PCAP_ERROR_ACTIVATED);
	EXPECT_INT(pcap_set_snaplen(p, 10), PCAP_ERROR_ACTIVATED);
	pcap_close(p);
}

CHECK(dead_datalinks)
{
	pcap_t *p = pcap_open_dead(DLT_RAW, 65535);
	int *dlts;
	EXPECT_INT(pcap_list_datalinks(p, &dlts), 1);
	EXPECT_INT(dlts[0], DLT_RAW);
	pcap_free_datalinks(dlts);
	EXPECT_INT(pcap_set_datalink(p, DLT_RAW), 0);
	EXPECT_INT(pcap_set_datalink(p, DLT_EN10MB), PCAP_ERROR);
	EXPECT_STR(pcap_geterr(p), "EN10MB is not one of the DLTs supported by this device");
	pcap_close(p);
}

/* pcap_geterr's buffer belongs to the handle: the same pointer on every call. */
CHECK(dead_geterr_pointer_stable)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	struct pcap_stat st;
	char *e = pcap_geterr(p);
	pcap_stats(p, &st);
	EXPECT(pcap_geterr(p) == e, "pcap_geterr moved");
	EXPECT_STR(e, "Statistics aren't available from a pcap_open_dead pcap_t");
	pcap_close(p);
}

CHECK(dead_compile_empty)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 200);
	struct bpf_program prog;
	EXPECT_INT(pcap_compile(p, &prog, "", 0, PCAP_NETMASK_UNKNOWN), 0);
	EXPECT_INT(prog.bf_len, 1);
	EXPECT_INT(prog.bf_insns[0].k, 200);
	pcap_freecode(&prog);
	pcap_freecode(&prog); /* freeing twice is harmless: bf_insns was set to NULL */
	pcap_close(p);
}
