/*
 * pcap_compile from several threads at once (libpcap 1.10's compiler keeps its state per call, so
 * programs may compile filters in parallel, each on its own handle): every corpus expression is compiled
 * once alone, then by THREADS threads together, each from another starting point and on handles of
 * its own, ROUNDS times; each compile must give the program (or error text) it gave alone.
 * Run it with no network (unshare -n): a host name the resolver cannot answer would wait on the DNS server,
 * for seconds when several threads ask at once.
 *   compile-threads LIB CORPUS_TSV THREADS ROUNDS TAG   prints: PASS compile-threads-TAG ... | FAIL ...
 */
#include <dlfcn.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct item {
	int dlt;
	char *expr;
	uint64_t hash; /* of the program's instructions, or of the error text */
	int ok;
};

static pcap_t *(*open_dead)(int, int);
static int (*compile)(pcap_t *, struct bpf_program *, const char *, int, bpf_u_int32);
static void (*freecode)(struct bpf_program *);
static char *(*geterr)(pcap_t *);
static void (*close_)(pcap_t *);
static struct item *items;
static int n, rounds, nthreads;

static uint64_t fnv(const void *p, size_t len)
{
	const unsigned char *b = p;
	uint64_t x = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++) {
		x ^= b[i];
		x *= 1099511628211ULL;
	}
	return x;
}

/* Compiles item i on handle p (made for its link type): 1 when it compiled; the hash of what came out. */
static int compile_one(pcap_t *p, int i, uint64_t *hash)
{
	struct bpf_program prog;
	if (compile(p, &prog, items[i].expr, 1, PCAP_NETMASK_UNKNOWN) == 0) {
		*hash = fnv(prog.bf_insns, prog.bf_len * sizeof(struct bpf_insn));
		freecode(&prog);
		return 1;
	}
	const char *e = geterr(p);
	*hash = fnv(e, strlen(e));
	return 0;
}

static pcap_t *handle_for(pcap_t **handles, int dlt)
{
	if (handles[dlt & 511] == NULL)
		handles[dlt & 511] = open_dead(dlt, 262144);
	return handles[dlt & 511];
}

static long mismatches;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	long t = (long)arg;
	pcap_t *handles[512] = { 0 };
	long bad = 0;
	for (int r = 0; r < rounds; r++)
		for (int k = 0; k < n; k++) {
			int i = (int)((k + t * n / nthreads) % n);
			uint64_t h;
			int ok = compile_one(handle_for(handles, items[i].dlt), i, &h);
			if (ok != items[i].ok || h != items[i].hash) {
				if (bad++ < 3)
					fprintf(stderr, "thread %ld: '%s' differs from its compile alone\n", t, items[i].expr);
			}
		}
	for (int d = 0; d < 512; d++)
		if (handles[d])
			close_(handles[d]);
	pthread_mutex_lock(&lock);
	mismatches += bad;
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr, "usage: %s LIB CORPUS_TSV THREADS ROUNDS TAG\n", argv[0]);
		return 2;
	}
	void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		printf("FAIL compile-threads-%s: %s\n", argv[5], dlerror());
		return 0;
	}
	open_dead = (pcap_t * (*)(int, int)) dlsym(h, "pcap_open_dead");
	compile = (int (*)(pcap_t *, struct bpf_program *, const char *, int, bpf_u_int32))dlsym(h, "pcap_compile");
	freecode = (void (*)(struct bpf_program *))dlsym(h, "pcap_freecode");
	geterr = (char *(*)(pcap_t *))dlsym(h, "pcap_geterr");
	close_ = (void (*)(pcap_t *))dlsym(h, "pcap_close");
	int (*name_to_val)(const char *) = (int (*)(const char *))dlsym(h, "pcap_datalink_name_to_val");
	FILE *in = fopen(argv[2], "r");
	if (in == NULL) {
		perror(argv[2]);
		return 2;
	}
	nthreads = atoi(argv[3]);
	rounds = atoi(argv[4]);
	int cap = 0;
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
	pcap_t *handles[512] = { 0 };
	long accepted = 0;
	for (int i = 0; i < n; i++) {
		items[i].ok = compile_one(handle_for(handles, items[i].dlt), i, &items[i].hash);
		accepted += items[i].ok;
	}
	for (int d = 0; d < 512; d++)
		if (handles[d])
			close_(handles[d]);
	pthread_t th[64];
	if (nthreads > 64)
		nthreads = 64;
	for (long t = 0; t < nthreads; t++)
		pthread_create(&th[t], NULL, worker, (void *)t);
	for (int t = 0; t < nthreads; t++)
		pthread_join(th[t], NULL);
	long total = (long)n * rounds * nthreads;
	if (mismatches == 0)
		printf("PASS compile-threads-%s: %ld compiles on %d threads (%d expressions, %ld accepted) equal to the compiles alone\n",
		    argv[5], total, nthreads, n, accepted);
	else
		printf("FAIL compile-threads-%s: %ld of %ld compiles on %d threads differ from the compiles alone\n", argv[5],
		    mismatches, total, nthreads);
	return 0;
}
