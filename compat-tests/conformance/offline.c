/* pcap_open_offline(3PCAP) and reading: pcap_next_ex, pcap_next, pcap_loop, pcap_dispatch,
 * pcap_breakloop, pcap_stats, and the savefile accessors. Captures are written byte by byte. */
#include <errno.h>
#include <stdlib.h>
#include "harness.h"

#define MAGIC_MICRO 0xa1b2c3d4u
#define MAGIC_NANO 0xa1b23c4du

static int seen;
static pcap_t *breaker;

static void count(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	(void)user; (void)h; (void)data;
	seen++;
}

static void count_and_break_at_3(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	(void)user; (void)h; (void)data;
	if (++seen == 3)
		pcap_breakloop(breaker);
}

static pcap_t *open_five(void)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	write_capture(scratch("five.pcap"), MAGIC_MICRO, 1, 65535, 5, 60, 0);
	p = pcap_open_offline(scratch("five.pcap"), errbuf);
	EXPECT(p != NULL, "pcap_open_offline: %s", errbuf);
	return p;
}

CHECK(offline_missing_file)
{
	char errbuf[PCAP_ERRBUF_SIZE], want[PCAP_ERRBUF_SIZE * 2];
	const char *path = scratch("missing.pcap");
	EXPECT(pcap_open_offline(path, errbuf) == NULL, "opened a missing file");
	snprintf(want, sizeof want, "%s: No such file or directory", path);
	EXPECT_STR(errbuf, want);
}

CHECK(offline_empty_file)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	write_bytes(scratch("empty.pcap"), "", 0);
	EXPECT(pcap_open_offline(scratch("empty.pcap"), errbuf) == NULL, "opened an empty file");
	EXPECT_STR(errbuf, "truncated dump file; tried to read 4 file header bytes, only got 0");
}

CHECK(offline_unknown_format)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	write_bytes(scratch("junk"), "this is not a capture file at all", 33);
	EXPECT(pcap_open_offline(scratch("junk"), errbuf) == NULL, "opened junk");
	EXPECT_STR(errbuf, "unknown file format");
}

CHECK(offline_bad_precision)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	write_capture(scratch("a.pcap"), MAGIC_MICRO, 1, 65535, 1, 10, 0);
	EXPECT(pcap_open_offline_with_tstamp_precision(scratch("a.pcap"), 7, errbuf) == NULL, "precision 7 accepted");
	EXPECT_STR(errbuf, "unknown time stamp resolution 7");
}

CHECK(offline_accessors)
{
	pcap_t *p = open_five();
	EXPECT_INT(pcap_datalink(p), DLT_EN10MB);
	EXPECT_INT(pcap_datalink_ext(p), 0);
	EXPECT_INT(pcap_snapshot(p), 65535);
	EXPECT_INT(pcap_major_version(p), 2);
	EXPECT_INT(pcap_minor_version(p), 4);
	EXPECT_INT(pcap_is_swapped(p), 0);
	EXPECT_INT(pcap_get_tstamp_precision(p), PCAP_TSTAMP_PRECISION_MICRO);
	EXPECT(pcap_file(p) != NULL, "pcap_file is NULL on a savefile");
	EXPECT(pcap_get_required_select_timeout(p) == NULL, "a savefile has no required select timeout");
	pcap_close(p);
}

CHECK(offline_swapped_nano)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;

	write_capture(scratch("sw.pcap"), MAGIC_NANO, 1, 65535, 3, 60, 1);
	p = pcap_open_offline(scratch("sw.pcap"), errbuf);
	EXPECT(p != NULL, "pcap_open_offline: %s", errbuf);
	EXPECT_INT(pcap_is_swapped(p), 1);
	EXPECT_INT(pcap_get_tstamp_precision(p), PCAP_TSTAMP_PRECISION_MICRO);
	EXPECT_INT(pcap_next_ex(p, &h, &data), 1);
	EXPECT_INT(pcap_next_ex(p, &h, &data), 1);
	EXPECT_INT(h->ts.tv_sec, 1001);
	EXPECT_INT(h->ts.tv_usec, 0); /* 10 ns -> 0 us */
	EXPECT_INT(h->caplen, 60);
	EXPECT_INT(h->len, 64);
	EXPECT_INT(data[0], 1);
	pcap_close(p);
	p = pcap_open_offline_with_tstamp_precision(scratch("sw.pcap"), PCAP_TSTAMP_PRECISION_NANO, errbuf);
	EXPECT(p != NULL, "pcap_open_offline_with_tstamp_precision: %s", errbuf);
	EXPECT_INT(pcap_get_tstamp_precision(p), PCAP_TSTAMP_PRECISION_NANO);
	EXPECT_INT(pcap_next_ex(p, &h, &data), 1);
	EXPECT_INT(pcap_next_ex(p, &h, &data), 1);
	EXPECT_INT(h->ts.tv_usec, 10);
	pcap_close(p);
}

CHECK(offline_next_ex_then_eof)
{
	pcap_t *p = open_five();
	struct pcap_pkthdr *h;
	const u_char *data;
	for (int i = 0; i < 5; i++) {
		EXPECT_INT(pcap_next_ex(p, &h, &data), 1);
		EXPECT_INT(h->ts.tv_sec, 1000 + i);
		EXPECT_INT(h->ts.tv_usec, 10 * i);
		EXPECT_INT(data[0], i);
		EXPECT_INT(data[59], (i + 59) & 0xff);
	}
	EXPECT_INT(pcap_next_ex(p, &h, &data), PCAP_ERROR_BREAK); /* end of savefile: -2 */
	EXPECT_INT(pcap_next_ex(p, &h, &data), PCAP_ERROR_BREAK);
	pcap_close(p);
}

CHECK(offline_next_returns_null_at_eof)
{
	pcap_t *p = open_five();
	struct pcap_pkthdr h;
	for (int i = 0; i < 5; i++) {
		const u_char *data = pcap_next(p, &h);
		EXPECT(data != NULL, "pcap_next NULL at packet %d", i);
		EXPECT_INT(h.ts.tv_sec, 1000 + i);
	}
	EXPECT(pcap_next(p, &h) == NULL, "pcap_next after the last packet");
	pcap_close(p);
}

/* The header and data pcap_next_ex hands out stay valid until the next call. */
CHECK(offline_next_ex_pointer_lifetime)
{
	pcap_t *p = open_five();
	struct pcap_pkthdr *h, copy;
	const u_char *data;
	unsigned char saved[60];
	EXPECT_INT(pcap_next_ex(p, &h, &data), 1);
	copy = *h;
	memcpy(saved, data, 60);
	pcap_geterr(p);
	pcap_datalink(p);
	EXPECT(memcmp(&copy, h, sizeof copy) == 0, "header changed before the next read");
	EXPECT(memcmp(saved, data, 60) == 0, "data changed before the next read");
	pcap_close(p);
}

CHECK(offline_dispatch_counts)
{
	pcap_t *p = open_five();
	seen = 0;
	EXPECT_INT(pcap_dispatch(p, 2, count, NULL), 2);
	EXPECT_INT(seen, 2);
	EXPECT_INT(pcap_dispatch(p, 0, count, NULL), 3); /* 0: all that is left in the "buffer" */
	EXPECT_INT(seen, 5);
	EXPECT_INT(pcap_dispatch(p, -1, count, NULL), 0); /* end of file */
	pcap_close(p);
}

CHECK(offline_loop_counts)
{
	pcap_t *p = open_five();
	seen = 0;
	EXPECT_INT(pcap_loop(p, 3, count, NULL), 0);
	EXPECT_INT(seen, 3);
	EXPECT_INT(pcap_loop(p, 10, count, NULL), 0); /* ran out: still 0 */
	EXPECT_INT(seen, 5);
	EXPECT_INT(pcap_loop(p, -1, count, NULL), 0);
	EXPECT_INT(seen, 5);
	pcap_close(p);
}

CHECK(offline_breakloop_in_callback)
{
	pcap_t *p = open_five();
	breaker = p;
	seen = 0;
	EXPECT_INT(pcap_loop(p, -1, count_and_break_at_3, NULL), PCAP_ERROR_BREAK);
	EXPECT_INT(seen, 3);
	seen = 0;
	EXPECT_INT(pcap_loop(p, -1, count, NULL), 0); /* the break was consumed: reading goes on */
	EXPECT_INT(seen, 2);
	pcap_close(p);
}

CHECK(offline_breakloop_before_loop)
{
	pcap_t *p = open_five();
	seen = 0;
	pcap_breakloop(p);
	EXPECT_INT(pcap_loop(p, -1, count, NULL), PCAP_ERROR_BREAK);
	EXPECT_INT(seen, 0);
	EXPECT_INT(pcap_loop(p, -1, count, NULL), 0);
	EXPECT_INT(seen, 5);
	pcap_close(p);
}

CHECK(offline_stats_unavailable)
{
	pcap_t *p = open_five();
	struct pcap_stat st;
	EXPECT_INT(pcap_stats(p, &st), PCAP_ERROR);
	EXPECT_STR(pcap_geterr(p), "Statistics aren't available from savefiles");
	pcap_close(p);
}

CHECK(offline_refusals)
{
	pcap_t *p = open_five();
	char errbuf[PCAP_ERRBUF_SIZE];
	EXPECT_INT(pcap_setnonblock(p, 1, errbuf), PCAP_ERROR);
	EXPECT_STR(errbuf, "Savefiles cannot be put into non-blocking mode");
	EXPECT_INT(pcap_getnonblock(p, errbuf), 0);
	EXPECT_INT(pcap_inject(p, "abc", 3), PCAP_ERROR);
	EXPECT_STR(pcap_geterr(p), "Sending packets isn't supported on savefiles");
	EXPECT_INT(pcap_setdirection(p, PCAP_D_IN), PCAP_ERROR);
	EXPECT_STR(pcap_geterr(p), "Setting direction is not supported on savefiles");
	pcap_close(p);
}

/* Setters on an activated handle (a savefile is one): PCAP_ERROR_ACTIVATED and libpcap's text
 * (with its double space). */
CHECK(offline_setters_after_activation)
{
	pcap_t *p = open_five();
	EXPECT_INT(pcap_set_snaplen(p, 100), PCAP_ERROR_ACTIVATED);
	EXPECT_STR(pcap_geterr(p), "can't perform  operation on activated capture");
	EXPECT_INT(pcap_set_promisc(p, 1), PCAP_ERROR_ACTIVATED);
	EXPECT_INT(pcap_set_timeout(p, 1), PCAP_ERROR_ACTIVATED);
	EXPECT_INT(pcap_set_buffer_size(p, 1), PCAP_ERROR_ACTIVATED);
	EXPECT_INT(pcap_set_immediate_mode(p, 1), PCAP_ERROR_ACTIVATED);
	EXPECT_INT(pcap_set_rfmon(p, 1), PCAP_ERROR_ACTIVATED);
	EXPECT_INT(pcap_set_tstamp_type(p, 0), PCAP_ERROR_ACTIVATED);
	EXPECT_INT(pcap_set_tstamp_precision(p, 1), PCAP_ERROR_ACTIVATED);
	EXPECT_INT(pcap_activate(p), PCAP_ERROR_ACTIVATED);
	EXPECT_STR(pcap_geterr(p), "can't perform  operation on activated capture");
	pcap_close(p);
}

CHECK(offline_set_datalink)
{
	pcap_t *p = open_five();
	int *dlts;
	EXPECT_INT(pcap_set_datalink(p, DLT_EN10MB), 0);
	EXPECT_INT(pcap_set_datalink(p, DLT_IEEE802_11), PCAP_ERROR);
	EXPECT_STR(pcap_geterr(p), "IEEE802_11 is not one of the DLTs supported by this device");
	EXPECT_INT(pcap_list_datalinks(p, &dlts), 1);
	EXPECT_INT(dlts[0], DLT_EN10MB);
	pcap_free_datalinks(dlts);
	pcap_close(p);
}

CHECK(offline_fopen_keeps_stream)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	FILE *f;
	pcap_t *p;
	write_capture(scratch("f.pcap"), MAGIC_MICRO, 1, 65535, 2, 10, 0);
	f = fopen(scratch("f.pcap"), "rb");
	p = pcap_fopen_offline(f, errbuf);
	EXPECT(p != NULL, "pcap_fopen_offline: %s", errbuf);
	EXPECT(pcap_file(p) == f, "pcap_file is not the stream given");
	seen = 0;
	EXPECT_INT(pcap_loop(p, -1, count, NULL), 0);
	EXPECT_INT(seen, 2);
	pcap_close(p); /* closes f */
}

/* pcap_compile of "" gives the accept-all program with the snap length; a filter that rejects
 * everything makes pcap_loop deliver nothing (a packet counts only if it passed). */
CHECK(offline_filters)
{
	pcap_t *p = open_five();
	struct bpf_program prog;
	struct bpf_insn reject = BPF_STMT(BPF_RET | BPF_K, 0);
	struct bpf_program none = { 1, &reject };

	EXPECT_INT(pcap_compile(p, &prog, "", 1, PCAP_NETMASK_UNKNOWN), 0);
	EXPECT_INT(prog.bf_len, 1);
	EXPECT_INT(prog.bf_insns[0].code, BPF_RET | BPF_K);
	EXPECT_INT(prog.bf_insns[0].k, 65535);
	EXPECT_INT(pcap_setfilter(p, &prog), 0);
	pcap_freecode(&prog);
	EXPECT_INT(pcap_compile(p, &prog, "tcp and", 1, PCAP_NETMASK_UNKNOWN), PCAP_ERROR);
	EXPECT_STR(pcap_geterr(p), "can't parse filter expression: syntax error");
	EXPECT_INT(pcap_setfilter(p, &none), 0);
	seen = 0;
	EXPECT_INT(pcap_dispatch(p, 3, count, NULL), 0);
	EXPECT_INT(pcap_loop(p, -1, count, NULL), 0);
	EXPECT_INT(seen, 0);
	pcap_close(p);
}

/* The header's snap length is kept, except 0 and values above INT_MAX, which become the link
 * type's maximum; a copy written with pcap_dump_open carries the adjusted value. */
CHECK(offline_snaplen_from_header)
{
	static const uint32_t in[] = { 0, 1, 65535, 262145, 1000000, 0x7fffffff, 0x80000000u };
	static const int want[] = { 262144, 1, 65535, 262145, 1000000, 0x7fffffff, 262144 };
	char errbuf[PCAP_ERRBUF_SIZE];
	for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) {
		uint32_t copy[6];
		pcap_dumper_t *d;
		pcap_t *p;
		write_capture(scratch("s.pcap"), MAGIC_MICRO, 1, in[i], 0, 0, 0);
		p = pcap_open_offline(scratch("s.pcap"), errbuf);
		EXPECT(p != NULL, "snaplen %u: %s", in[i], errbuf);
		EXPECT_INT(pcap_snapshot(p), want[i]);
		d = pcap_dump_open(p, scratch("copy.pcap"));
		EXPECT(d != NULL, "pcap_dump_open: %s", pcap_geterr(p));
		pcap_dump_close(d);
		EXPECT_INT(read_bytes(scratch("copy.pcap"), (unsigned char *)copy, 24), 24);
		EXPECT_INT(copy[4], (uint32_t)want[i]);
		pcap_close(p);
	}
}

/* The FCS-length bits of the link-type field: pcap_datalink_ext reports them, pcap_datalink does
 * not, and a dumper writes them back. */
CHECK(offline_fcs_bits_written_back)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	uint32_t copy[6];
	pcap_dumper_t *d;
	pcap_t *p;
	write_capture(scratch("fcs.pcap"), MAGIC_MICRO, 1 | 0x14000000u, 65535, 1, 60, 0); /* FCS of 4 bytes, flag set */
	p = pcap_open_offline(scratch("fcs.pcap"), errbuf);
	EXPECT(p != NULL, "pcap_open_offline: %s", errbuf);
	EXPECT_INT(pcap_datalink(p), DLT_EN10MB);
	EXPECT_INT(pcap_datalink_ext(p), 0x14000000);
	d = pcap_dump_open(p, scratch("copy.pcap"));
	EXPECT(d != NULL, "pcap_dump_open: %s", pcap_geterr(p));
	EXPECT_INT(pcap_loop(p, -1, pcap_dump, (u_char *)d), 0);
	pcap_dump_close(d);
	EXPECT_INT(read_bytes(scratch("copy.pcap"), (unsigned char *)copy, 24), 24);
	EXPECT_INT(copy[5], 1 | 0x14000000u);
	/* Appending to that copy from a handle without the bits: "different linktype". */
	{
		pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
		EXPECT(pcap_dump_open_append(dead, scratch("copy.pcap")) == NULL, "appended across FCS bits");
		pcap_close(dead);
	}
	pcap_close(p);
}
