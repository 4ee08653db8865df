/*
 * Differential test of pcap_compile: our library against the system libpcap, both loaded into this
 * process with dlopen(RTLD_LOCAL) (../shared/compat/filters/README.md says how to judge).
 *
 *   filter-diff OUR_LIB SYSTEM_LIB SHARED_DIR corpus        every case of corpus.tsv
 *   filter-diff OUR_LIB SYSTEM_LIB SHARED_DIR list FILE      "DLT<TAB>expression" lines
 *   filter-diff OUR_LIB SYSTEM_LIB SHARED_DIR fuzz N SEED    N random expressions from the grammar
 *
 * For each case: accept/refuse and error texts must agree; for accepted cases, our program and
 * libpcap's (optimised and not) give the same verdict through the system bpf_filter on every frame
 * of that link type (synthetic capture plus the tcpdump captures of that type); our bpf_filter and
 * pcap_offline_filter agree with the system's; our programs pass bpf_validate and never load a
 * scratch cell not stored on every path. Prints one PASS/FAIL line per criterion and the counts.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lib {
	void *h;
	pcap_t *(*open_dead)(int, int);
	int (*compile)(pcap_t *, struct bpf_program *, const char *, int, bpf_u_int32);
	char *(*geterr)(pcap_t *);
	void (*freecode)(struct bpf_program *);
	void (*close)(pcap_t *);
	u_int (*filter)(const struct bpf_insn *, const u_char *, u_int, u_int);
	int (*validate)(const struct bpf_insn *, int);
	int (*offline_filter)(const struct bpf_program *, const struct pcap_pkthdr *, const u_char *);
	int (*name_to_val)(const char *);
	pcap_t *(*open_offline)(const char *, char *);
	int (*next_ex)(pcap_t *, struct pcap_pkthdr **, const u_char **);
	int (*datalink)(pcap_t *);
};

static void *sym(void *h, const char *name)
{
	void *p = dlsym(h, name);
	if (p == NULL) {
		fprintf(stderr, "missing %s: %s\n", name, dlerror());
		exit(2);
	}
	return p;
}

static void load(struct lib *l, const char *path)
{
	l->h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (l->h == NULL) {
		fprintf(stderr, "dlopen %s: %s\n", path, dlerror());
		exit(2);
	}
	l->open_dead = sym(l->h, "pcap_open_dead");
	l->compile = sym(l->h, "pcap_compile");
	l->geterr = sym(l->h, "pcap_geterr");
	l->freecode = sym(l->h, "pcap_freecode");
	l->close = sym(l->h, "pcap_close");
	l->filter = sym(l->h, "bpf_filter");
	l->validate = sym(l->h, "bpf_validate");
	l->offline_filter = sym(l->h, "pcap_offline_filter");
	l->name_to_val = sym(l->h, "pcap_datalink_name_to_val");
	l->open_offline = sym(l->h, "pcap_open_offline");
	l->next_ex = sym(l->h, "pcap_next_ex");
	l->datalink = sym(l->h, "pcap_datalink");
}

static struct lib ours, sys;

struct frame {
	struct pcap_pkthdr hdr;
	u_char *data;
};

struct frames {
	int dlt;
	int n, cap;
	struct frame *f;
};

static struct frames sets[64];
static int nsets;

static struct frames *set_for(int dlt)
{
	for (int i = 0; i < nsets; i++)
		if (sets[i].dlt == dlt)
			return &sets[i];
	sets[nsets].dlt = dlt;
	return &sets[nsets++];
}

static void read_capture(const char *path, int want_dlt)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = sys.open_offline(path, err);
	if (p == NULL)
		return;
	int dlt = sys.datalink(p);
	if (want_dlt >= 0 && dlt != want_dlt) {
		sys.close(p);
		return;
	}
	struct frames *s = set_for(dlt);
	struct pcap_pkthdr *h;
	const u_char *d;
	while (sys.next_ex(p, &h, &d) == 1) {
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 4096;
			s->f = realloc(s->f, sizeof(*s->f) * (size_t)s->cap);
		}
		s->f[s->n].hdr = *h;
		s->f[s->n].data = malloc(h->caplen ? h->caplen : 1);
		memcpy(s->f[s->n].data, d, h->caplen);
		s->n++;
	}
	sys.close(p);
}

static void read_all(const char *shared)
{
	char path[4096];
	static const char *dlts[] = { "EN10MB", "IEEE802_11", "IEEE802_11_RADIO", "LINUX_SLL", "LINUX_SLL2",
		"LOOP", "NULL", "PPP", "RAW" };
	for (size_t i = 0; i < sizeof(dlts) / sizeof(dlts[0]); i++) {
		snprintf(path, sizeof(path), "%s/compat/filters/synthetic/%s.pcap", shared, dlts[i]);
		read_capture(path, -1);
	}
	snprintf(path, sizeof(path), "%s/compat/tcpdump-4.99.3/tests", shared);
	DIR *dir = opendir(path);
	if (dir == NULL)
		return;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		size_t len = strlen(e->d_name);
		if ((len > 5 && strcmp(e->d_name + len - 5, ".pcap") == 0) ||
		    (len > 7 && strcmp(e->d_name + len - 7, ".pcapng") == 0)) {
			char file[8192];
			snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
			read_capture(file, -1);
		}
	}
	closedir(dir);
}

/* The first instruction that may load a scratch cell not stored on every path to it, or -1. */
static int unstored_scratch_load(const struct bpf_insn *p, int n)
{
	unsigned *stored = malloc(sizeof(unsigned) * (size_t)(n + 1));
	char *reached = calloc((size_t)n + 1, 1);
	int bad = -1;
	stored[0] = 0;
	reached[0] = 1;
#define MERGE(at, s) do { int a_ = (at); if (a_ <= n) { stored[a_] = reached[a_] ? (stored[a_] & (s)) : (s); reached[a_] = 1; } } while (0)
	for (int i = 0; i < n && bad < 0; i++) {
		if (!reached[i])
			continue;
		unsigned s = stored[i];
		int code = p[i].code, cls = BPF_CLASS(code);
		if ((cls == BPF_LD || cls == BPF_LDX) && BPF_MODE(code) == BPF_MEM && !(s & (1u << (p[i].k & 15)))) {
			bad = i;
			break;
		}
		if (cls == BPF_ST || cls == BPF_STX)
			s |= 1u << (p[i].k & 15);
		if (cls == BPF_RET)
			continue;
		if (cls == BPF_JMP) {
			if (BPF_OP(code) == BPF_JA)
				MERGE(i + 1 + (int)p[i].k, s);
			else {
				MERGE(i + 1 + p[i].jt, s);
				MERGE(i + 1 + p[i].jf, s);
			}
			continue;
		}
		MERGE(i + 1, s);
	}
	free(stored);
	free(reached);
	return bad;
}

struct tally {
	long cases, accept_agree, refused_both, errors_equal, accepted_both, verdicts_agree, invalid;
	long frame_runs, frame_agree, own_machine_agree, own_machine_runs;
	long our_insns, ref_insns;
	int shown;
};

static int quirky(const char *dlt, const char *expr)
{
	return (strstr(expr, "geneve") && strncmp(dlt, "IEEE802_11", 10) == 0) ||
	    (strstr(expr, "pppoes") && strcmp(dlt, "IEEE802_11_RADIO") == 0);
}

static int compile(struct lib *l, int dlt, int snap, const char *expr, int opt, bpf_u_int32 mask,
    struct bpf_program *prog, char *err)
{
	pcap_t *p = l->open_dead(dlt, snap);
	int rc = l->compile(p, prog, expr, opt, mask);
	if (rc != 0)
		snprintf(err, PCAP_ERRBUF_SIZE, "%s", l->geterr(p));
	l->close(p);
	return rc;
}

static void show(struct tally *t, const char *id, const char *dlt, const char *expr, const char *what)
{
	if (t->shown++ < 25)
		printf("  differs %s [%s] '%s': %s\n", id, dlt, expr, what);
}

/* Our program against libpcap's over the frames; 1 when every verdict agrees. */
static int verdicts(struct tally *t, const char *id, const char *dlt_name, const char *expr, int dlt, int snap,
    bpf_u_int32 mask, struct bpf_program *our, struct bpf_program *ref, int opt)
{
	if (!sys.validate(our->bf_insns, (int)our->bf_len) || unstored_scratch_load(our->bf_insns, (int)our->bf_len) >= 0) {
		t->invalid++;
		show(t, id, dlt_name, expr, "invalid program");
		return 0;
	}
	struct frames *s = set_for(dlt);
	struct bpf_program other = { 0, NULL };
	int have_other = 0, ok = 1, q = quirky(dlt_name, expr), own_shown = 0;
	int ref_noise = unstored_scratch_load(ref->bf_insns, (int)ref->bf_len) >= 0;
	for (int i = 0; i < s->n; i++) {
		struct frame *f = &s->f[i];
		u_int a = sys.filter(our->bf_insns, f->data, f->hdr.len, f->hdr.caplen);
		u_int b = sys.filter(ref->bf_insns, f->data, f->hdr.len, f->hdr.caplen);
		/* Our interpreter and pcap_offline_filter against the system's, for both programs. */
		/* libpcap's program is compared only where it reads no uninitialised scratch cell (its verdict is noise there). */
		t->own_machine_runs += ref_noise ? 1 : 2;
		u_int oa = ours.filter(our->bf_insns, f->data, f->hdr.len, f->hdr.caplen);
		u_int ob = ours.filter(ref->bf_insns, f->data, f->hdr.len, f->hdr.caplen);
		if (oa == a && (ours.offline_filter(our, &f->hdr, f->data) != 0) == (a != 0))
			t->own_machine_agree++;
		if (ref_noise)
			ob = b;
		else if (ob == b)
			t->own_machine_agree++;
		if ((oa != a || ob != b) && !own_shown) {
			char what[160];
			snprintf(what, sizeof(what), "our bpf_filter: %u on our program (system %u), %u on libpcap's (system %u), frame %d",
			    oa, a, ob, b, i);
			show(t, id, dlt_name, expr, what);
			own_shown = 1;
		}
		t->frame_runs++;
		if (a == b || q) {
			t->frame_agree++;
			continue;
		}
		/* Where a load goes past the captured bytes (a truncated frame, or the Linux packet-type extension a
		 * savefile lacks), libpcap's optimised and unoptimised programs disagree themselves: either is libpcap. */
		{
			char err[PCAP_ERRBUF_SIZE];
			if (!have_other)
				have_other = compile(&sys, dlt, snap, expr, !opt, mask, &other, err) == 0 ? 1 : -1;
			if (have_other == 1 && sys.filter(other.bf_insns, f->data, f->hdr.len, f->hdr.caplen) == a) {
				t->frame_agree++;
				continue;
			}
		}
		if (ok) {
			char what[128];
			snprintf(what, sizeof(what), "frame %d (%u/%u bytes): ours %u, libpcap %u (%s)", i,
			    f->hdr.caplen, f->hdr.len, a, b, opt ? "optimised" : "unoptimised");
			show(t, id, dlt_name, expr, what);
		}
		ok = 0;
	}
	if (have_other == 1)
		sys.freecode(&other);
	return ok;
}

static void judge(struct tally *t, const char *id, const char *dlt_name, const char *expr, int snap, bpf_u_int32 mask)
{
	int dlt = sys.name_to_val(dlt_name);
	struct bpf_program ro, oo, ru, ou;
	char rerr[PCAP_ERRBUF_SIZE], oerr[PCAP_ERRBUF_SIZE];
	t->cases++;
	int rrc = compile(&sys, dlt, snap, expr, 1, mask, &ro, rerr);
	int orc = compile(&ours, dlt, snap, expr, 1, mask, &oo, oerr);
	if ((rrc == 0) != (orc == 0)) {
		char what[600];
		snprintf(what, sizeof(what), "ours %s%s, libpcap %s%s", orc ? "refuses: " : "accepts", orc ? oerr : "",
		    rrc ? "refuses: " : "accepts", rrc ? rerr : "");
		show(t, id, dlt_name, expr, what);
		if (rrc == 0)
			sys.freecode(&ro);
		if (orc == 0)
			ours.freecode(&oo);
		return;
	}
	t->accept_agree++;
	if (rrc != 0) {
		t->refused_both++;
		if (strcmp(rerr, oerr) == 0)
			t->errors_equal++;
		else {
			char what[600];
			snprintf(what, sizeof(what), "error \"%s\", libpcap \"%s\"", oerr, rerr);
			show(t, id, dlt_name, expr, what);
		}
		return;
	}
	t->accepted_both++;
	t->our_insns += oo.bf_len;
	t->ref_insns += ro.bf_len;
	int ok = verdicts(t, id, dlt_name, expr, dlt, snap, mask, &oo, &ro, 1);
	if (compile(&sys, dlt, snap, expr, 0, mask, &ru, rerr) == 0) {
		if (compile(&ours, dlt, snap, expr, 0, mask, &ou, oerr) == 0) {
			ok &= verdicts(t, id, dlt_name, expr, dlt, snap, mask, &ou, &ru, 0);
			ours.freecode(&ou);
		} else {
			show(t, id, dlt_name, expr, "unoptimised compile refused");
			ok = 0;
		}
		sys.freecode(&ru);
	}
	if (ok)
		t->verdicts_agree++;
	sys.freecode(&ro);
	ours.freecode(&oo);
}

/* Random expressions from pcap-filter(7)'s grammar, well-formed and (one in six) with a stray token. */
static unsigned long long rng;

static unsigned pick(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

#define PICK(a) (a[pick(sizeof(a) / sizeof(a[0]))])

static const char *protos[] = { "ip", "ip6", "arp", "rarp", "tcp", "udp", "sctp", "icmp", "icmp6", "igmp", "pim", "vrrp",
	"ah", "esp", "ether", "link", "wlan", "decnet", "iso", "stp", "ipx", "netbeui", "atalk", "radio", "carp", "isis" };
static const char *dirs[] = { "src", "dst", "src or dst", "src and dst", "addr1", "addr3", "ra", "ta" };
static const char *kinds[] = { "host", "net", "port", "portrange", "proto", "protochain", "gateway" };
static const char *ids[] = { "1.2.3.4", "10.0.0.0/8", "10.1", "192.168.1.0 mask 255.255.255.0", "80", "1-1023", "http",
	"domain", "::1", "fe80::/16", "2001:db8::1", "00:11:22:33:44:55", "localhost", "tcp", "udp", "300.1.2.3", "70000",
	"0x10", "017", "6", "17", "smtp-25" };
static const char *atoms[] = { "vlan", "vlan 100", "vlan and vlan", "mpls", "mpls 7", "pppoes", "pppoes 3", "pppoed", "llc",
	"llc u", "broadcast", "multicast", "ip broadcast", "ip multicast", "ip6 multicast", "less 100", "greater 60",
	"inbound", "outbound", "type data", "type mgt subtype beacon", "subtype probe-req", "dir tods",
	"tcp[tcpflags] & tcp-syn != 0", "icmp[icmptype] = icmp-echo", "len > 100", "ip[2:2] - 20 > 0", "ether[0] & 1 = 1",
	"udp[8:4] = 0x12345678", "ip[0] % 3 * 2 = 1", "geneve", "geneve 7", "ifindex 2", "byte 3 & 4", "icmp6[0] = 128" };
static const char *junk[] = { "(", ")", "and", "or", "not", "[", "]", ":", "=", "+", "&&", "!", "host", "42" };
static const char *dlt_names[] = { "EN10MB", "RAW", "LINUX_SLL", "LINUX_SLL2", "NULL", "LOOP", "PPP", "IEEE802_11",
	"IEEE802_11_RADIO" };

static void expression(char *out, size_t size, int depth)
{
	char a[2048], b[2048];
	switch (pick(depth > 2 ? 2 : 6)) {
	case 0:
		snprintf(out, size, "%s", pick(2) ? PICK(atoms) : PICK(protos));
		break;
	case 1:
		snprintf(out, size, "%s%s%s%s%s%s", pick(2) ? PICK(protos) : "", " ", pick(2) ? PICK(dirs) : "", " ",
		    pick(3) ? PICK(kinds) : "", " ");
		snprintf(out + strlen(out), size - strlen(out), "%s", PICK(ids));
		break;
	case 2:
		expression(a, sizeof(a), depth + 1);
		snprintf(out, size, "not %.1000s", a);
		break;
	case 3:
		expression(a, sizeof(a), depth + 1);
		snprintf(out, size, "(%.1000s)", a);
		break;
	case 4:
		expression(a, sizeof(a), depth + 1);
		if (pick(3) == 0)
			snprintf(b, sizeof(b), "%s", PICK(ids));
		else
			expression(b, sizeof(b), depth + 1);
		snprintf(out, size, "%.1000s and %.1000s", a, b);
		break;
	default:
		expression(a, sizeof(a), depth + 1);
		expression(b, sizeof(b), depth + 1);
		snprintf(out, size, "%.1000s or %.1000s", a, b);
		break;
	}
	if (depth == 0 && pick(6) == 0) {
		size_t len = strlen(out), at = pick((unsigned)len + 1);
		while (at < len && out[at] != ' ')
			at++;
		snprintf(a, sizeof(a), "%.*s %s%.1000s", (int)(at > 1000 ? 1000 : at), out, PICK(junk), out + at);
		snprintf(out, size, "%s", a);
	}
}

static void report(struct tally *t, const char *what);

static void options(const char *notes, int *snap, bpf_u_int32 *mask)
{
	const char *p;
	*snap = 262144;
	*mask = 0;
	if ((p = strstr(notes, "snaplen=")) != NULL)
		*snap = atoi(p + 8);
	if ((p = strstr(notes, "netmask=")) != NULL) {
		unsigned a, b, c, d;
		if (strncmp(p + 8, "unknown", 7) == 0)
			*mask = PCAP_NETMASK_UNKNOWN;
		else if (sscanf(p + 8, "%u.%u.%u.%u", &a, &b, &c, &d) == 4)
			*mask = a << 24 | b << 16 | c << 8 | d;
	}
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: %s OUR_LIB SYSTEM_LIB SHARED_DIR corpus|list FILE\n", argv[0]);
		return 2;
	}
	load(&ours, argv[1]);
	load(&sys, argv[2]);
	read_all(argv[3]);
	struct tally t;
	memset(&t, 0, sizeof(t));
	char path[4096], line[8192];
	int corpus = strcmp(argv[4], "corpus") == 0;
	if (strcmp(argv[4], "fuzz") == 0) {
		long count = argc > 5 ? atol(argv[5]) : 2000;
		rng = (unsigned long long)(argc > 6 ? atol(argv[6]) : 4242) * 2654435761ULL + 1;
		for (long i = 0; i < count; i++) {
			char expr[4096], id[64];
			const char *dlt = PICK(dlt_names);
			expression(expr, sizeof(expr), 0);
			snprintf(id, sizeof(id), "fuzz-%ld", i);
			judge(&t, id, dlt, expr, 262144, pick(4) == 0 ? 0xffffff00u : PCAP_NETMASK_UNKNOWN);
		}
		report(&t, "filters-fuzz");
		return 0;
	}
	if (corpus)
		snprintf(path, sizeof(path), "%s/compat/filters/corpus.tsv", argv[3]);
	else
		snprintf(path, sizeof(path), "%s", argc > 5 ? argv[5] : "/dev/stdin");
	FILE *in = fopen(path, "r");
	if (in == NULL) {
		perror(path);
		return 2;
	}
	int first = 1, n = 0;
	while (fgets(line, sizeof(line), in) != NULL) {
		line[strcspn(line, "\n")] = 0;
		if (corpus && first) {
			first = 0;
			continue;
		}
		char *f[5] = { 0 };
		char *p = line;
		int k = 0;
		for (; k < 5 && p != NULL; k++) {
			f[k] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = 0;
		}
		int snap;
		bpf_u_int32 mask;
		char id[64];
		if (corpus) {
			options(f[4] ? f[4] : "", &snap, &mask);
			judge(&t, f[0], f[1], f[2] ? f[2] : "", snap, mask);
		} else {
			snprintf(id, sizeof(id), "case-%d", ++n);
			judge(&t, id, f[0], f[1] ? f[1] : "", 262144, PCAP_NETMASK_UNKNOWN);
		}
	}
	fclose(in);
	report(&t, corpus ? "filters-corpus" : "filters-list");
	return 0;
}

static void report(struct tally *t0, const char *what)
{
	struct tally t = *t0;
	printf("%s: accept/refuse agree %ld/%ld; error texts equal %ld/%ld; verdicts agree %ld/%ld cases "
	    "(%ld/%ld frame runs); invalid programs %ld; our bpf_filter/pcap_offline_filter agree %ld/%ld; "
	    "instructions ours %ld vs libpcap %ld\n", what, t.accept_agree, t.cases, t.errors_equal, t.refused_both,
	    t.verdicts_agree, t.accepted_both, t.frame_agree, t.frame_runs, t.invalid, t.own_machine_agree,
	    t.own_machine_runs, t.our_insns, t.ref_insns);
#define LINE(name, good, all) printf("%s %s-%s%s%ld/%ld\n", (good) == (all) ? "PASS" : "FAIL", what, name, \
    (good) == (all) ? " " : ": ", (long)(good), (long)(all))
	LINE("accept-refuse", t.accept_agree, t.cases);
	LINE("error-texts", t.errors_equal, t.refused_both);
	LINE("verdicts", t.verdicts_agree, t.accepted_both);
	LINE("valid-programs", t.accepted_both - t.invalid, t.accepted_both);
	LINE("own-interpreter", t.own_machine_agree, t.own_machine_runs);
}
