/*
 * bpf-bench PROGRAM CAPTURE ROUNDS: runs a BPF program (tcpdump -ddd text) over every frame of a
 * capture, held in memory, ROUNDS times through bpf_filter, then once more as the installed filter
 * of a savefile read with pcap_loop; prints "filters/s loop-packets/s accepted".
 * The library is whichever the loader picks (the system's, or ours preloaded).
 */
#include <pcap/pcap.h>
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

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: bpf-bench PROGRAM CAPTURE ROUNDS\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	struct bpf_program prog;
	if (f == NULL || fscanf(f, "%u", &prog.bf_len) != 1)
		return 1;
	prog.bf_insns = calloc(prog.bf_len, sizeof *prog.bf_insns);
	for (u_int i = 0; i < prog.bf_len; i++) {
		unsigned c, jt, jf, k;
		if (fscanf(f, "%u %u %u %u", &c, &jt, &jf, &k) != 4)
			return 1;
		prog.bf_insns[i] = (struct bpf_insn){ (u_short)c, (u_char)jt, (u_char)jf, k };
	}
	fclose(f);

	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(argv[2], errbuf);
	if (p == NULL) {
		fprintf(stderr, "%s\n", errbuf);
		return 1;
	}
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

	int rounds = atoi(argv[3]);
	unsigned long accepted = 0;
	double t0 = now();
	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < n; i++)
			accepted += bpf_filter(prog.bf_insns, data[i], hdrs[i].len, hdrs[i].caplen) != 0;
	double filter_rate = (double)n * rounds / (now() - t0);

	unsigned long delivered = 0;
	double t1 = now();
	for (int r = 0; r < rounds / 10 + 1; r++) {
		p = pcap_open_offline(argv[2], errbuf);
		if (p == NULL || pcap_setfilter(p, &prog) != 0)
			return 1;
		pcap_loop(p, -1, count, (u_char *)&delivered);
		pcap_close(p);
	}
	double loop_rate = (double)n * (rounds / 10 + 1) / (now() - t1);
	printf("%.0f %.0f %lu\n", filter_rate, loop_rate, accepted / rounds);
	return 0;
}
