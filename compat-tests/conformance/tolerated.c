/* Arguments libpcap tolerates, and pointers it hands out: NULL errbuf where nothing can fail, a NULL
 * filter string, the "-" and FILE * opens, pcap_perror's output. */
#include <fcntl.h>
#include <unistd.h>
#include "harness.h"

CHECK(null_errbuf_where_nothing_fails)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	EXPECT_INT(pcap_init(PCAP_CHAR_ENC_LOCAL, NULL), 0);
	write_capture(scratch("a.pcap"), 0xa1b2c3d4u, 1, 65535, 1, 60, 0);
	p = pcap_open_offline(scratch("a.pcap"), errbuf);
	EXPECT(p != NULL, "pcap_open_offline: %s", errbuf);
	EXPECT_INT(pcap_getnonblock(p, NULL), 0);
	pcap_close(p);
}

/* A NULL expression compiles like "": accept everything, snap length as the verdict. */
CHECK(compile_null_expression)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 1234);
	struct bpf_program prog;
	EXPECT_INT(pcap_compile(p, &prog, NULL, 1, PCAP_NETMASK_UNKNOWN), 0);
	EXPECT_INT(prog.bf_len, 1);
	EXPECT_INT(prog.bf_insns[0].k, 1234);
	pcap_freecode(&prog);
	pcap_close(p);
}

/* Names from the tables are static: the same pointer every time, valid forever. */
CHECK(table_names_are_static)
{
	const char *name = pcap_datalink_val_to_name(DLT_EN10MB);
	const char *desc = pcap_datalink_val_to_description(DLT_EN10MB);
	const char *status = pcap_statustostr(PCAP_ERROR_BREAK);
	pcap_datalink_val_to_name(DLT_RAW);
	pcap_statustostr(PCAP_ERROR);
	EXPECT(pcap_datalink_val_to_name(DLT_EN10MB) == name, "name moved");
	EXPECT(pcap_datalink_val_to_description(DLT_EN10MB) == desc, "description moved");
	EXPECT_STR(name, "EN10MB");
	EXPECT_STR(status, "Loop terminated by pcap_breakloop");
}

CHECK(open_offline_dash_is_stdin)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;
	int fd, n = 0;
	write_capture(scratch("in.pcap"), 0xa1b2c3d4u, 1, 65535, 4, 60, 0);
	fd = open(scratch("in.pcap"), O_RDONLY);
	EXPECT(fd >= 0 && dup2(fd, 0) == 0, "cannot redirect stdin");
	p = pcap_open_offline("-", errbuf);
	EXPECT(p != NULL, "pcap_open_offline(\"-\"): %s", errbuf);
	EXPECT(pcap_file(p) == stdin, "pcap_file is not stdin");
	while (pcap_next_ex(p, &h, &data) == 1)
		n++;
	EXPECT_INT(n, 4);
	pcap_close(p);
}

CHECK(fopen_offline_with_nano_precision)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	FILE *f;
	pcap_t *p;
	write_capture(scratch("n.pcap"), 0xa1b2c3d4u, 1, 65535, 2, 60, 0);
	f = fopen(scratch("n.pcap"), "rb");
	p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	EXPECT(p != NULL, "pcap_fopen_offline_with_tstamp_precision: %s", errbuf);
	EXPECT_INT(pcap_get_tstamp_precision(p), PCAP_TSTAMP_PRECISION_NANO);
	EXPECT_INT(pcap_next_ex(p, &h, &data), 1);
	EXPECT_INT(pcap_next_ex(p, &h, &data), 1);
	EXPECT_INT(h->ts.tv_usec, 10000); /* 10 us as nanoseconds */
	pcap_close(p);
}

CHECK(perror_format)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 100);
	struct pcap_stat st;
	char got[512];
	size_t n;
	int fd = open(scratch("err.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	EXPECT(fd >= 0 && dup2(fd, 2) == 2, "cannot redirect stderr");
	pcap_stats(p, &st);
	pcap_perror(p, "myprog");
	fflush(stderr);
	n = read_bytes(scratch("err.txt"), (unsigned char *)got, sizeof got - 1);
	got[n] = '\0';
	EXPECT_STR(got, "myprog: Statistics aren't available from a pcap_open_dead pcap_t\n");
	pcap_close(p);
}

CHECK(bufsize_by_kind)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 100);
	pcap_t *created = pcap_create("lo", errbuf);
	EXPECT_INT(pcap_bufsize(dead), 0);
	EXPECT_INT(pcap_bufsize(created), PCAP_ERROR_NOT_ACTIVATED);
	pcap_close(dead);
	pcap_close(created);
}

/* The release functions take what the allocators can hand out, NULL and empty included. */
CHECK(free_functions_tolerate_null)
{
	struct bpf_program empty = { 0, NULL };
	pcap_freealldevs(NULL);
	pcap_free_datalinks(NULL);
	pcap_free_tstamp_types(NULL);
	pcap_freecode(&empty);
}

/* pcap_compile's refusals, with libpcap's texts. */
CHECK(compile_error_texts)
{
	static const struct { int dlt; const char *expr, *text; } t[] = {
		{ DLT_EN10MB, "ip and (", "can't parse filter expression: syntax error" },
		{ DLT_EN10MB, "host no.such.host.invalid", "unknown host 'no.such.host.invalid'" },
		{ DLT_EN10MB, "port 99999", "illegal port number 99999 > 65535" },
		{ DLT_EN10MB, "ip broadcast", "netmask not known, so 'ip broadcast' not supported" },
		/* an unknown DLT fails even for the empty expression, with the matching range in the text */
		{ 9999, "", "unknown data link type 9999 (min 104, max 289)" },
	};
	for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
		pcap_t *p = pcap_open_dead(t[i].dlt, 100);
		struct bpf_program prog;
		EXPECT_INT(pcap_compile(p, &prog, t[i].expr, 1, PCAP_NETMASK_UNKNOWN), PCAP_ERROR);
		EXPECT_STR(pcap_geterr(p), t[i].text);
		pcap_close(p);
	}
}
