/* pcap_dump_open(3PCAP), pcap_dump(3PCAP), pcap_dump_flush, pcap_dump_ftell, pcap_dump_file,
 * pcap_dump_close: what a dumper writes, byte for byte. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include "harness.h"

#define MAGIC_MICRO 0xa1b2c3d4u
#define MAGIC_NANO 0xa1b23c4du

static const unsigned char payload[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 0x08, 0x06 };

static void dump_one(pcap_dumper_t *d, long sec, long frac, unsigned caplen, unsigned len)
{
	struct pcap_pkthdr h = { { sec, frac }, caplen, len };
	pcap_dump((u_char *)d, &h, payload);
}

/* The record libpcap writes: 32-bit seconds and fraction, caplen, len, then caplen bytes. */
static size_t expected_record(unsigned char *out, uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t len)
{
	uint32_t r[4] = { sec, frac, caplen, len };
	memcpy(out, r, 16);
	memcpy(out + 16, payload, caplen);
	return 16 + caplen;
}

static void header_for(int dlt, int snaplen, u_int precision, uint32_t magic)
{
	pcap_t *p = pcap_open_dead_with_tstamp_precision(dlt, snaplen, precision);
	unsigned char got[64], want[24];
	pcap_dumper_t *d;

	EXPECT(p != NULL, "pcap_open_dead_with_tstamp_precision failed");
	d = pcap_dump_open(p, scratch("h.pcap"));
	EXPECT(d != NULL, "pcap_dump_open: %s", pcap_geterr(p));
	pcap_dump_close(d);
	EXPECT_INT(read_bytes(scratch("h.pcap"), got, sizeof got), 24);
	expected_header(want, magic, snaplen, dlt);
	EXPECT(memcmp(got, want, 24) == 0, "header differs");
	pcap_close(p);
}

CHECK(dump_open_header_micro) { header_for(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_MICRO, MAGIC_MICRO); }
CHECK(dump_open_header_nano) { header_for(DLT_EN10MB, 262144, PCAP_TSTAMP_PRECISION_NANO, MAGIC_NANO); }
CHECK(dump_open_header_small_snaplen) { header_for(228 /* DLT_IPV4 */, 96, PCAP_TSTAMP_PRECISION_MICRO, MAGIC_MICRO); }

/* dlt_to_linktype: DLT_ values stored as LINKTYPE_ values; the rest refused with libpcap's text. */
static int linktype_for(int dlt)
{
	switch (dlt) {
	case 11: return 100; /* DLT_ATM_RFC1483 */
	case 12: return 101; /* DLT_RAW on Linux */
	case 15: return 102; /* DLT_SLIP_BSDOS */
	case 16: return 103; /* DLT_PPP_BSDOS */
	case 19: return 106; /* DLT_ATM_CLIP */
	case 50: case 51: case 99: return dlt;
	}
	if ((dlt >= 0 && dlt <= 10) || (dlt >= 104 && dlt <= 289))
		return dlt;
	return -1;
}

CHECK(dump_open_linktype_mapping)
{
	static const int extra[] = { -5, -1, 290, 300, 1000, 65535, 65536, 70000 };
	for (int i = 0; i < 300 + (int)(sizeof extra / sizeof extra[0]); i++) {
		int dlt = i < 300 ? i : extra[i - 300];
		pcap_t *p = pcap_open_dead(dlt, 65535);
		pcap_dumper_t *d = pcap_dump_open(p, scratch("m.pcap"));
		int want = linktype_for(dlt);
		if (want == -1) {
			char text[256];
			snprintf(text, sizeof text, "%s: link-layer type %d isn't supported in savefiles", scratch("m.pcap"), dlt);
			EXPECT(d == NULL, "DLT %d accepted, libpcap refuses it", dlt);
			EXPECT_STR(pcap_geterr(p), text);
		} else {
			uint32_t h[6];
			EXPECT(d != NULL, "DLT %d refused: %s", dlt, pcap_geterr(p));
			pcap_dump_close(d);
			EXPECT_INT(read_bytes(scratch("m.pcap"), (unsigned char *)h, 24), 24);
			EXPECT(h[5] == (uint32_t)want, "DLT %d stored as %u, expected %d", dlt, h[5], want);
		}
		pcap_close(p);
	}
}

CHECK(dump_records_bytes)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = pcap_dump_open(p, scratch("r.pcap"));
	unsigned char got[512], want[512];
	size_t n = 24;

	EXPECT(d != NULL, "pcap_dump_open: %s", pcap_geterr(p));
	dump_one(d, 1700000000, 123456, 60, 60);
	dump_one(d, 5, 999999, 14, 1514);           /* caplen < len: only caplen bytes written */
	dump_one(d, 0x100000007L, 42, 0, 60);        /* seconds truncated to 32 bits, no data */
	pcap_dump_close(d);
	expected_header(want, MAGIC_MICRO, 65535, 1);
	n += expected_record(want + n, 1700000000, 123456, 60, 60);
	n += expected_record(want + n, 5, 999999, 14, 1514);
	n += expected_record(want + n, 7, 42, 0, 60);
	EXPECT_INT(read_bytes(scratch("r.pcap"), got, sizeof got), n);
	EXPECT(memcmp(got, want, n) == 0, "records differ from libpcap's layout");
	pcap_close(p);
}

CHECK(dump_nano_fraction_written_as_given)
{
	pcap_t *p = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *d = pcap_dump_open(p, scratch("n.pcap"));
	uint32_t got[10];

	EXPECT(d != NULL, "pcap_dump_open: %s", pcap_geterr(p));
	dump_one(d, 10, 999999999, 0, 0);
	pcap_dump_close(d);
	EXPECT_INT(read_bytes(scratch("n.pcap"), (unsigned char *)got, sizeof got), 40);
	EXPECT_INT(got[0], MAGIC_NANO);
	EXPECT_INT(got[7], 999999999);
	pcap_close(p);
}

CHECK(dump_ftell_counts_buffered_bytes)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = pcap_dump_open(p, scratch("t.pcap"));

	EXPECT(d != NULL, "pcap_dump_open: %s", pcap_geterr(p));
	EXPECT_INT(pcap_dump_ftell(d), 24);
	EXPECT_INT(pcap_dump_ftell64(d), 24);
	dump_one(d, 1, 2, 60, 60);
	EXPECT_INT(pcap_dump_ftell(d), 24 + 16 + 60);
	EXPECT_INT(pcap_dump_ftell64(d), 24 + 16 + 60);
	pcap_dump_close(d);
	pcap_close(p);
}

CHECK(dump_file_is_the_stream)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	FILE *f = fopen(scratch("f.pcap"), "wb");
	pcap_dumper_t *d = pcap_dump_fopen(p, f);

	EXPECT(d != NULL, "pcap_dump_fopen: %s", pcap_geterr(p));
	EXPECT(pcap_dump_file(d) == f, "pcap_dump_file is not the FILE * given to pcap_dump_fopen");
	EXPECT((void *)d == (void *)f, "the pcap_dumper_t * is not the FILE * (libpcap's dumper is the stream)");
	EXPECT_INT(ftell(f), 24);
	dump_one(d, 1, 2, 20, 20);
	EXPECT_INT(ftell(f), 24 + 36);
	pcap_dump_close(d);
	EXPECT_INT(file_size(scratch("f.pcap")), 24 + 36);
	pcap_close(p);
}

CHECK(dump_open_path_is_the_file)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = pcap_dump_open(p, scratch("q.pcap"));
	FILE *f;

	EXPECT(d != NULL, "pcap_dump_open: %s", pcap_geterr(p));
	f = pcap_dump_file(d);
	EXPECT((void *)f == (void *)d, "pcap_dump_file(d) != d");
	/* A stdio stream of its own: the program may write through it and fileno() it. */
	EXPECT(fileno(f) > 2, "fileno %d", fileno(f));
	pcap_dump_close(d);
	pcap_close(p);
}

CHECK(dump_open_dash_is_stdout)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	unsigned char got[128], want[128];
	pcap_dumper_t *d;
	size_t n;
	int fd = open(scratch("stdout.pcap"), O_WRONLY | O_CREAT | O_TRUNC, 0600);

	EXPECT(fd >= 0 && dup2(fd, 1) == 1, "cannot redirect stdout");
	d = pcap_dump_open(p, "-");
	EXPECT(d != NULL, "pcap_dump_open(\"-\"): %s", pcap_geterr(p));
	EXPECT(pcap_dump_file(d) == stdout, "\"-\" is not the C library's stdout");
	dump_one(d, 3, 4, 10, 10);
	EXPECT_INT(pcap_dump_flush(d), 0);
	expected_header(want, MAGIC_MICRO, 65535, 1);
	n = 24 + expected_record(want + 24, 3, 4, 10, 10);
	EXPECT_INT(read_bytes(scratch("stdout.pcap"), got, sizeof got), n);
	EXPECT(memcmp(got, want, n) == 0, "bytes on stdout differ");
	pcap_close(p);
}

CHECK(dump_buffers_until_flush)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = pcap_dump_open(p, scratch("b.pcap"));

	EXPECT(d != NULL, "pcap_dump_open: %s", pcap_geterr(p));
	dump_one(d, 1, 1, 60, 60);
	EXPECT_INT(file_size(scratch("b.pcap")), 0); /* stdio buffered: nothing on disk yet */
	EXPECT_INT(pcap_dump_flush(d), 0);
	EXPECT_INT(file_size(scratch("b.pcap")), 24 + 76);
	dump_one(d, 1, 1, 60, 60);
	pcap_dump_close(d); /* close flushes */
	EXPECT_INT(file_size(scratch("b.pcap")), 24 + 2 * 76);
	pcap_close(p);
}

static pcap_dumper_t *signal_dumper;
static volatile int flush_result = 99;

static void on_usr2(int sig)
{
	(void)sig;
	flush_result = pcap_dump_flush(signal_dumper);
}

/* tcpdump calls pcap_dump_flush from its SIGUSR2 handler. */
CHECK(dump_flush_from_signal_handler)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	signal_dumper = pcap_dump_open(p, scratch("s.pcap"));
	EXPECT(signal_dumper != NULL, "pcap_dump_open: %s", pcap_geterr(p));
	signal(SIGUSR2, on_usr2);
	dump_one(signal_dumper, 1, 1, 40, 40);
	raise(SIGUSR2);
	EXPECT_INT(flush_result, 0);
	EXPECT_INT(file_size(scratch("s.pcap")), 24 + 56);
	pcap_dump_close(signal_dumper);
	pcap_close(p);
}

/* The dumper outlives the handle: it is only a FILE *. */
CHECK(dump_after_pcap_close)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = pcap_dump_open(p, scratch("c.pcap"));
	EXPECT(d != NULL, "pcap_dump_open: %s", pcap_geterr(p));
	pcap_close(p);
	dump_one(d, 1, 1, 60, 60);
	pcap_dump_close(d);
	EXPECT_INT(file_size(scratch("c.pcap")), 24 + 76);
}

CHECK(dump_open_truncates_existing_file)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d;
	write_capture(scratch("old.pcap"), MAGIC_MICRO, 1, 65535, 5, 100, 0);
	d = pcap_dump_open(p, scratch("old.pcap"));
	EXPECT(d != NULL, "pcap_dump_open: %s", pcap_geterr(p));
	pcap_dump_close(d);
	EXPECT_INT(file_size(scratch("old.pcap")), 24);
	pcap_close(p);
}

/* pcap_dump is a pcap_handler: pcap_loop(p, n, pcap_dump, dumper) copies a savefile. */
CHECK(dump_as_loop_callback_copies_savefile)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	unsigned char a[8192], b[8192];
	size_t na, nb;
	pcap_t *p;
	pcap_dumper_t *d;

	write_capture(scratch("in.pcap"), MAGIC_MICRO, 1, 65535, 20, 70, 0);
	p = pcap_open_offline(scratch("in.pcap"), errbuf);
	EXPECT(p != NULL, "pcap_open_offline: %s", errbuf);
	d = pcap_dump_open(p, scratch("out.pcap"));
	EXPECT(d != NULL, "pcap_dump_open: %s", pcap_geterr(p));
	EXPECT_INT(pcap_loop(p, -1, pcap_dump, (u_char *)d), 0);
	pcap_dump_close(d);
	na = read_bytes(scratch("in.pcap"), a, sizeof a);
	nb = read_bytes(scratch("out.pcap"), b, sizeof b);
	EXPECT_INT(nb, na);
	EXPECT(memcmp(a, b, na) == 0, "copy differs from the original");
	pcap_close(p);
}

/* A swapped nanosecond savefile is written back in host order with the nano magic, when opened
 * with nano precision; with micro precision the fractions are converted. */
CHECK(dump_copy_keeps_handle_precision)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	uint32_t out[64];
	pcap_t *p;
	pcap_dumper_t *d;

	write_capture(scratch("in.pcap"), MAGIC_NANO, 1, 1000, 3, 8, 1);
	p = pcap_open_offline_with_tstamp_precision(scratch("in.pcap"), PCAP_TSTAMP_PRECISION_MICRO, errbuf);
	EXPECT(p != NULL, "pcap_open_offline_with_tstamp_precision: %s", errbuf);
	d = pcap_dump_open(p, scratch("out.pcap"));
	EXPECT(d != NULL, "pcap_dump_open: %s", pcap_geterr(p));
	EXPECT_INT(pcap_loop(p, 0, pcap_dump, (u_char *)d), 0);
	pcap_dump_close(d);
	EXPECT_INT(read_bytes(scratch("out.pcap"), (unsigned char *)out, sizeof out), 24 + 3 * 24);
	EXPECT_INT(out[0], MAGIC_MICRO);
	EXPECT_INT(out[4], 1000);
	EXPECT_INT(out[6 + 6 + 1], 0);   /* packet 1: 10 ns -> 0 us */
	EXPECT_INT(out[6 + 12], 1002);   /* packet 2 seconds */
	pcap_close(p);
}
