/*
 * bpf-bench: the cost of filters, on whichever library the loader picks (the system's, or ours preloaded).
 *   bpf-bench gen FILE COUNT count|mix  writes COUNT records of 60 bytes: "count" frames hold the bytes
 *                                     0..59 (no IP: a filter rejects them at the link type, the issue's
 *                                     measurement); "mix" cycles IPv4 UDP to port 53, to port 123, TCP, ARP
 *   bpf-bench loop PROGRAM FILE RECORDS pcap_setfilter(PROGRAM) then pcap_loop over FILE (RECORDS records)
 *                                     with a counting callback
 *   bpf-bench filter|offline PROGRAM CAPTURE ROUNDS
 *                                     bpf_filter (or pcap_offline_filter) over every frame of CAPTURE,
 *                                     held in memory, ROUNDS times
 * PROGRAM is tcpdump -ddd text. Prints "packets-per-CPU-second packets accepted".
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); /* CPU time: fair on a shared machine */
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void count(u_char *user, const struct pcap_pkthdr *h, const u_char *b)
{
	(void)h;
	(void)b;
	(*(unsigned long *)user)++;
}

static int read_program(const char *path, struct bpf_program *prog)
{
	FILE *f = fopen(path, "r");
	if (f == NULL || fscanf(f, "%u", &prog->bf_len) != 1)
		return -1;
	prog->bf_insns = calloc(prog->bf_len, sizeof *prog->bf_insns);
	for (u_int i = 0; i < prog->bf_len; i++) {
		unsigned c, jt, jf, k;
		if (fscanf(f, "%u %u %u %u", &c, &jt, &jf, &k) != 4)
			return -1;
		prog->bf_insns[i] = (struct bpf_insn){ (u_short)c, (u_char)jt, (u_char)jf, k };
	}
	fclose(f);
	return 0;
}

/* An Ethernet frame of 60 bytes: IPv4 with the protocol and destination port given, or ARP. */
static void frame(unsigned char *b, int kind)
{
	memset(b, 0, 60);
	memcpy(b, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02", 12);
	if (kind == 3) {
		b[12] = 0x08, b[13] = 0x06;
		return;
	}
	b[12] = 0x08, b[14] = 0x45, b[17] = 46, b[22] = 64;
	b[23] = kind == 2 ? 6 : 17;
	memcpy(b + 26, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	b[34] = 0x30, b[35] = 0x39; /* source port 12345 */
	b[37] = kind == 0 ? 53 : kind == 1 ? 123 : 80;
}

static int generate(const char *path, long n, const char *kind)
{
	FILE *f = fopen(path, "wb");
	uint32_t header[6] = { 0xa1b2c3d4, 2 | (4 << 16), 0, 0, 262144, 1 };
	unsigned char frames[4][60];
	int mix = strcmp(kind, "mix") == 0;

	if (f == NULL)
		return 1;
	for (int k = 0; k < 4; k++) {
		if (mix)
			frame(frames[k], k);
		else
			for (int i = 0; i < 60; i++)
				frames[k][i] = (unsigned char)i;
	}
	fwrite(header, sizeof header, 1, f);
	for (long i = 0; i < n; i++) {
		uint32_t record[4] = { (uint32_t)(1700000000 + i / 1000000), (uint32_t)(i % 1000000), 60, 60 };
		fwrite(record, sizeof record, 1, f);
		fwrite(frames[i % 4], 60, 1, f);
	}
	return fclose(f) != 0;
}

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;

	if (argc == 5 && strcmp(argv[1], "gen") == 0)
		return generate(argv[2], atol(argv[3]), argv[4]);
	if (argc < 4 || read_program(argv[2], &prog) != 0) {
		fprintf(stderr, "usage: bpf-bench gen FILE COUNT count|mix | loop PROGRAM FILE RECORDS | filter|offline PROGRAM CAPTURE ROUNDS\n");
		return 2;
	}
	pcap_t *p = pcap_open_offline(argv[3], errbuf);
	if (p == NULL) {
		fprintf(stderr, "%s\n", errbuf);
		return 1;
	}
	if (strcmp(argv[1], "loop") == 0) {
		unsigned long delivered = 0;
		double t0 = now();
		if (pcap_setfilter(p, &prog) != 0 || pcap_loop(p, -1, count, (u_char *)&delivered) < 0) {
			fprintf(stderr, "%s\n", pcap_geterr(p));
			return 1;
		}
		double t = now() - t0;
		pcap_close(p);
		unsigned long records = argc > 4 ? strtoul(argv[4], NULL, 10) : delivered;
		printf("%.0f %lu %lu\n", records / t, records, delivered);
		return 0;
	}
	if (argc != 5)
		return 2;
	size_t n = 0, cap = 1024;
	struct pcap_pkthdr *hdrs = malloc(cap * sizeof *hdrs);
	u_char **data = malloc(cap * sizeof *data);
	struct pcap_pkthdr *h;
	const u_char *b;
	while (pcap_next_ex(p, &h, &b) == 1) {
		if (n == cap) {
			cap *= 2;
			hdrs = realloc(hdrs, cap * sizeof *hdrs);
			data = realloc(data, cap * sizeof *data);
		}
		hdrs[n] = *h;
		data[n] = malloc(h->caplen ? h->caplen : 1);
		memcpy(data[n], b, h->caplen);
		n++;
	}
	pcap_close(p);

	int rounds = atoi(argv[4]), offline = strcmp(argv[1], "offline") == 0;
	unsigned long accepted = 0;
	double t0 = now();
	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < n; i++)
			accepted += (offline ? (u_int)pcap_offline_filter(&prog, &hdrs[i], data[i])
					     : bpf_filter(prog.bf_insns, data[i], hdrs[i].len, hdrs[i].caplen)) != 0;
	double t = now() - t0;
	printf("%.0f %lu %lu\n", (double)n * rounds / t, (unsigned long)n * rounds, accepted);
	return 0;
}
