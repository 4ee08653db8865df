/*
 * bpf-text: drives the BPF entry points of whichever libpcap it is run on (the system's, or ours
 * through LD_LIBRARY_PATH/LD_PRELOAD), so that 40-bpf.sh can diff the two runs.
 *
 *   bpf-text compile < CASES > PROGRAMS
 *       CASES: lines "id<TAB>dlt-name<TAB>expression<TAB>notes" (the filter corpus' columns, minus
 *       "expect"); compiles each with pcap_open_dead + pcap_compile (optimised) and writes
 *       "id dlt-name n code jt jf k ..." on one line, or nothing for a refused case.
 *   bpf-text dump OPTION < PROGRAMS
 *       bpf_validate and bpf_dump(OPTION) of every program.
 *   bpf-text names
 *       The link-type, time-stamp-type and status tables, pcap_open_dead handles, pcap_set_datalink,
 *       pcap_list_datalinks, pcap_compile of the empty expression, pcap_freecode, the static
 *       buffers' lifetimes, and the same calls on a handle not yet activated, as text.
 *   bpf-text filter DIR < PROGRAMS
 *       For every program, over every frame of DIR/<dlt-name>.pcap: bpf_filter and
 *       pcap_offline_filter results (as a count of accepted frames and a checksum of return
 *       values), and the number of frames pcap_setfilter + pcap_dispatch deliver. A program
 *       that loads a scratch cell it never stores is only named (see loads_unstored_scratch).
 */
#define _DEFAULT_SOURCE /* strsep */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INSNS 100000

static struct bpf_insn insns[MAX_INSNS];

/* Reads "id dlt-name n code jt jf k ..." into insns; returns n, or -1 at end of input. */
static int read_program(char id[256], char dlt[64])
{
	int n;

	if (scanf("%255s %63s %d", id, dlt, &n) != 3 || n < 0 || n > MAX_INSNS)
		return -1;
	for (int i = 0; i < n; i++) {
		unsigned code, jt, jf, k;
		if (scanf("%u %u %u %u", &code, &jt, &jf, &k) != 4)
			return -1;
		insns[i].code = (u_short)code;
		insns[i].jt = (u_char)jt;
		insns[i].jf = (u_char)jf;
		insns[i].k = k;
	}
	return n;
}

static int compile_cases(void)
{
	static char line[65536];

	while (fgets(line, sizeof line, stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		/* strsep, not strtok: the expression may be empty. */
		char *rest = line;
		char *id = strsep(&rest, "\t");
		char *dltname = strsep(&rest, "\t");
		char *expr = strsep(&rest, "\t");
		char *notes = strsep(&rest, "\t");
		if (id == NULL || dltname == NULL || expr == NULL)
			continue;
		int snaplen = 262144;
		bpf_u_int32 netmask = PCAP_NETMASK_UNKNOWN;
		for (char *w = notes ? strtok(notes, " ") : NULL; w != NULL; w = strtok(NULL, " ")) {
			if (strncmp(w, "snaplen=", 8) == 0)
				snaplen = atoi(w + 8);
			else if (strncmp(w, "netmask=", 8) == 0 && strcmp(w + 8, "unknown") != 0)
				netmask = ntohl(inet_addr(w + 8));
		}
		int dlt = pcap_datalink_name_to_val(dltname);
		pcap_t *p = pcap_open_dead(dlt, snaplen);
		struct bpf_program prog;
		if (p != NULL && pcap_compile(p, &prog, expr, 1, netmask) == 0) {
			printf("%s %s %u", id, dltname, prog.bf_len);
			for (u_int i = 0; i < prog.bf_len; i++)
				printf(" %u %u %u %u", prog.bf_insns[i].code, prog.bf_insns[i].jt,
				    prog.bf_insns[i].jf, prog.bf_insns[i].k);
			printf("\n");
			pcap_freecode(&prog);
		}
		if (p != NULL)
			pcap_close(p);
	}
	return 0;
}

static int dump_programs(int option)
{
	char id[256], dlt[64];
	int n;

	while ((n = read_program(id, dlt)) >= 0) {
		struct bpf_program prog = { (u_int)n, insns };
		printf("== %s %s validate=%d\n", id, dlt, bpf_validate(insns, n));
		bpf_dump(&prog, option);
	}
	return 0;
}

struct count { unsigned long accepted; uint64_t sum; };

/*
 * True if the program loads a scratch cell it never stores: libpcap 1.10.3's optimiser emits
 * such programs for a few expressions, and its machine then reads stack garbage, so their
 * verdicts are not libpcap's to compare with.
 */
static int loads_unstored_scratch(int n)
{
	unsigned stored = 0, loaded = 0;

	for (int i = 0; i < n; i++) {
		unsigned bit = insns[i].k < 16 ? 1u << insns[i].k : 0;
		switch (insns[i].code) {
		case BPF_ST: case BPF_STX: stored |= bit; break;
		case BPF_LD | BPF_MEM: case BPF_LDX | BPF_MEM: loaded |= bit; break;
		}
	}
	return (loaded & ~stored) != 0;
}

static void counter(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	(void)h;
	(void)bytes;
	(*(unsigned long *)user)++;
}

static int filter_programs(const char *dir)
{
	char id[256], dlt[64], path[4096], errbuf[PCAP_ERRBUF_SIZE];
	int n;

	while ((n = read_program(id, dlt)) >= 0) {
		struct bpf_program prog = { (u_int)n, insns };
		if (loads_unstored_scratch(n)) {
			printf("%s reads-unstored-scratch validate=%d\n", id, bpf_validate(insns, n));
			continue;
		}
		snprintf(path, sizeof path, "%s/%s.pcap", dir, dlt);
		pcap_t *p = pcap_open_offline(path, errbuf);
		if (p == NULL) {
			printf("%s no capture: %s\n", id, errbuf);
			continue;
		}
		struct count f = { 0, 0 }, o = { 0, 0 };
		struct pcap_pkthdr *h;
		const u_char *bytes;
		unsigned long frames = 0;
		while (pcap_next_ex(p, &h, &bytes) == 1) {
			u_int r = bpf_filter(insns, bytes, h->len, h->caplen);
			int s = pcap_offline_filter(&prog, h, bytes);
			frames++;
			f.accepted += r != 0;
			f.sum = f.sum * 1000003u + r + frames;
			o.accepted += s != 0;
			o.sum = o.sum * 1000003u + (u_int)s + frames;
		}
		pcap_close(p);
		/* The same program installed on a savefile handle. */
		unsigned long delivered = 0;
		int set = -1;
		p = pcap_open_offline(path, errbuf);
		if (p != NULL) {
			set = pcap_setfilter(p, &prog);
			if (set == 0)
				pcap_dispatch(p, -1, counter, (u_char *)&delivered);
			pcap_close(p);
		}
		printf("%s frames=%lu bpf_filter=%lu/%llx offline_filter=%lu/%llx setfilter=%d delivered=%lu\n",
		    id, frames, f.accepted, (unsigned long long)f.sum, o.accepted, (unsigned long long)o.sum,
		    set, delivered);
	}
	return 0;
}

static const char *show(const char *s)
{
	return s == NULL ? "(null)" : s;
}

static int names(void)
{
	static const char *tries[] = { "en10mb", "EN10MB", "En10Mb", "DLT_EN10MB", "linux_sll2", "raw", "RAW ",
		"host", "HOST_HIPREC", "adapter_unsynced", "", "bogus" };
	char errbuf[PCAP_ERRBUF_SIZE];

	for (int dlt = -3; dlt <= 300; dlt++) {
		const char *name = pcap_datalink_val_to_name(dlt);
		printf("dlt %d %s | %s | %s | again %d\n", dlt, show(name), show(pcap_datalink_val_to_description(dlt)),
		    pcap_datalink_val_to_description_or_dlt(dlt), name == pcap_datalink_val_to_name(dlt));
		if (name != NULL)
			printf("  name_to_val %d\n", pcap_datalink_name_to_val(name));
	}
	for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++)
		printf("name_to_val '%s' %d tstamp %d\n", tries[i], pcap_datalink_name_to_val(tries[i]),
		    pcap_tstamp_type_name_to_val(tries[i]));
	for (int t = -2; t <= 8; t++)
		printf("tstamp %d %s | %s\n", t, show(pcap_tstamp_type_val_to_name(t)), show(pcap_tstamp_type_val_to_description(t)));
	for (int s = -20; s <= 5; s++)
		printf("status %d %s\n", s, pcap_statustostr(s));
	/* The unknown-status text is one buffer: the second call overwrites what the first returned. */
	const char *first = pcap_statustostr(-100);
	pcap_statustostr(-200);
	printf("status buffer reused: %s\n", first);
	for (int e = -1; e <= 134; e++)
		printf("strerror %d %s\n", e, pcap_strerror(e));

	unsigned precisions[] = { 0, 1, 2, 99 };
	for (size_t i = 0; i < 4; i++) {
		pcap_t *p = pcap_open_dead_with_tstamp_precision(113, 1000, precisions[i]);
		printf("dead precision %u -> %d datalink %d ext %d snapshot %d\n", precisions[i],
		    pcap_get_tstamp_precision(p), pcap_datalink(p), pcap_datalink_ext(p), pcap_snapshot(p));
		pcap_close(p);
	}
	pcap_t *p = pcap_open_dead(1, 65535);
	int asks[] = { 1, 0, 113, 2000, -1, 147 };
	for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++) {
		strcpy(pcap_geterr(p), "untouched");
		printf("set_datalink %d -> %d %s now %d\n", asks[i], pcap_set_datalink(p, asks[i]), pcap_geterr(p), pcap_datalink(p));
	}
	int *dlts = NULL;
	int n = pcap_list_datalinks(p, &dlts);
	printf("list_datalinks %d:", n);
	for (int i = 0; i < n; i++)
		printf(" %d", dlts[i]);
	printf("\n");
	pcap_free_datalinks(dlts);
	struct pcap_pkthdr *h;
	const u_char *b;
	printf("next_ex %d %s\n", pcap_next_ex(p, &h, &b), pcap_geterr(p));
	struct bpf_program prog;
	printf("compile empty %d", pcap_compile(p, &prog, "", 1, PCAP_NETMASK_UNKNOWN));
	printf(" len %u code %u k %u\n", prog.bf_len, prog.bf_insns[0].code, prog.bf_insns[0].k);
	printf("compile NULL %d len %u\n", pcap_compile(p, &prog, NULL, 0, 0), prog.bf_len);
	printf("setfilter dead %d %s\n", pcap_setfilter(p, &prog), pcap_geterr(p));
	u_char frame[60] = { 0 };
	struct pcap_pkthdr fh = { { 0, 0 }, 60, 60 };
	printf("offline_filter %d\n", pcap_offline_filter(&prog, &fh, frame));
	/* pcap_compile allocates with malloc: plain free must work as well as pcap_freecode. */
	pcap_freecode(&prog);
	printf("freecode %u %s\n", prog.bf_len, prog.bf_insns == NULL ? "NULL" : "set");
	pcap_freecode(&prog);
	/* Deprecated, still exported: programs built against old headers call it. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	printf("compile_nopcap %d", pcap_compile_nopcap(96, 12, &prog, "", 0, 0));
#pragma GCC diagnostic pop
	printf(" k %u\n", prog.bf_insns[0].k);
	free(prog.bf_insns);
	pcap_close(p);
	p = pcap_open_dead(1, 0);
	printf("compile snaplen 0: %d %s\n", pcap_compile(p, &prog, "", 1, 0), pcap_geterr(p));
	pcap_close(p);
	printf("open_offline missing: %s\n", pcap_open_offline("/nonexistent", errbuf) == NULL ? errbuf : "opened");

	/* A handle not yet activated: no link type to compile for or to list. */
	p = pcap_create("lo", errbuf);
	if (p != NULL) {
		struct bpf_insn ret = { 0x06, 0, 0, 1 };
		struct bpf_program one = { 1, &ret };
		strcpy(pcap_geterr(p), "untouched");
		printf("created: datalink %d ext %d", pcap_datalink(p), pcap_datalink_ext(p));
		printf(" list %d %s", pcap_list_datalinks(p, &dlts), pcap_geterr(p));
		printf(" compile %d %s", pcap_compile(p, &prog, "", 1, 0), pcap_geterr(p));
		printf(" setfilter %d %s", pcap_setfilter(p, &one), pcap_geterr(p));
		printf(" set_datalink %d %s\n", pcap_set_datalink(p, 1), pcap_geterr(p));
		pcap_close(p);
	}

	struct bpf_insn insn = { 0x15, 1, 2, 0x800 };
	char *image = bpf_image(&insn, 4);
	struct bpf_insn other = { 0x06, 0, 0, 0 };
	char *image2 = bpf_image(&other, 5);
	printf("bpf_image static buffer %d: %s\n", image == image2, image2);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "names") == 0)
		return names();
	if (argc >= 2 && strcmp(argv[1], "compile") == 0)
		return compile_cases();
	if (argc >= 3 && strcmp(argv[1], "dump") == 0)
		return dump_programs(atoi(argv[2]));
	if (argc >= 3 && strcmp(argv[1], "filter") == 0)
		return filter_programs(argv[2]);
	fprintf(stderr, "usage: bpf-text compile | dump OPTION | filter DIR\n");
	return 2;
}
