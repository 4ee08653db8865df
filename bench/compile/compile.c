/*
 * pcap_compile time per expression: every expression of the filter corpus compiled (optimised) on a
 * dead handle of its link type, ROUNDS times, by the library given (dlopen), best of three passes after
 * one that warms it up. One library per process: with both in one, libpcap would run in a multi-threaded
 * process (our runtime's threads), where the C library's locks cost more than in its own.
 * Time is the process's CPU time: names the corpus cannot resolve ("host 1.2.3.4.5") wait on the DNS
 * server for either library, which made wall time swing tenfold between runs.
 *   compile LIB CORPUS_TSV ROUNDS   prints: nanoseconds-per-expression expressions accepted refused
 */
#include <dlfcn.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct item {
	int dlt;
	char *expr;
};

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s LIB CORPUS_TSV ROUNDS\n", argv[0]);
		return 2;
	}
	void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		fprintf(stderr, "%s\n", dlerror());
		return 2;
	}
	pcap_t *(*open_dead)(int, int) = (pcap_t * (*)(int, int)) dlsym(h, "pcap_open_dead");
	int (*compile)(pcap_t *, struct bpf_program *, const char *, int, bpf_u_int32) =
	    (int (*)(pcap_t *, struct bpf_program *, const char *, int, bpf_u_int32))dlsym(h, "pcap_compile");
	void (*freecode)(struct bpf_program *) = (void (*)(struct bpf_program *))dlsym(h, "pcap_freecode");
	void (*close_)(pcap_t *) = (void (*)(pcap_t *))dlsym(h, "pcap_close");
	int (*name_to_val)(const char *) = (int (*)(const char *))dlsym(h, "pcap_datalink_name_to_val");
	FILE *in = fopen(argv[2], "r");
	if (in == NULL) {
		perror(argv[2]);
		return 2;
	}
	struct item *items = NULL;
	int n = 0, cap = 0;
	char line[8192];
	fgets(line, sizeof(line), in); /* header */
	while (fgets(line, sizeof(line), in) != NULL) {
		line[strcspn(line, "\n")] = 0;
		char *dlt = strchr(line, '\t');
		if (dlt == NULL)
			continue;
		*dlt++ = 0;
		char *expr = strchr(dlt, '\t');
		if (expr == NULL)
			continue;
		*expr++ = 0;
		char *end = strchr(expr, '\t');
		if (end)
			*end = 0;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			items = realloc(items, sizeof(*items) * (size_t)cap);
		}
		items[n].dlt = name_to_val(dlt);
		items[n].expr = strdup(expr);
		n++;
	}
	fclose(in);
	int rounds = atoi(argv[3]);
	pcap_t *handles[512] = { 0 };
	double best = 1e30;
	long accepted = 0, refused = 0;
	for (int pass = -1; pass < 3; pass++) {
		struct timespec a, b;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
		accepted = refused = 0;
		for (int r = 0; r < rounds; r++) {
			for (int i = 0; i < n; i++) {
				int d = items[i].dlt & 511;
				if (handles[d] == NULL)
					handles[d] = open_dead(items[i].dlt, 262144);
				struct bpf_program prog;
				if (compile(handles[d], &prog, items[i].expr, 1, PCAP_NETMASK_UNKNOWN) == 0) {
					freecode(&prog);
					accepted++;
				} else
					refused++;
			}
		}
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
		double ns = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / ((double)n * rounds);
		if (pass >= 0 && ns < best)
			best = ns;
	}
	for (int d = 0; d < 512; d++)
		if (handles[d])
			close_(handles[d]);
	printf("%.0f %d %ld %ld\n", best, n, accepted / rounds, refused / rounds);
	return 0;
}
