/*
 * expr-fuzz: differential fuzzing of pcap_compile, our library against the system libpcap, both
 * loaded into one worker process with dlopen(RTLD_LOCAL).
 *
 *   expr-fuzz OUR_LIB SYSTEM_LIB SHARED_DIR COUNT SEED     COUNT generated expressions
 *   expr-fuzz OUR_LIB SYSTEM_LIB SHARED_DIR list FILE       "DLT[/SNAP]<TAB>expression" lines (C escapes)
 *   expr-fuzz OUR_LIB SYSTEM_LIB SHARED_DIR case SEED I...  print cases I of SEED as list lines
 *
 * Case i is made from (SEED, i) alone, so any case can be made again. Expressions come from the
 * pcap-filter(7) grammar (every qualifier, arithmetic, deep nesting, numbers at the edges, names) and
 * from mutating those and the filter corpus (odd bytes, very long tokens, token swaps). Each is
 * compiled by both libraries, optimised and not, on one of several link types and snap lengths:
 * accept/refuse and error text must be equal; accepted programs must give the same return value
 * (verdict and snap length) through the system bpf_filter on frames of that link type (its captures
 * plus mutated frames), and ours must pass bpf_validate.
 *
 * The worker runs in a child process watched by this one: when it crashes or a case runs past the
 * time limit, the case is tried on each library alone in a fresh process. A crash or hang of
 * libpcap alone is counted and not held against ours; anything of ours is a failure. Work resumes
 * after that case. Prints "differs" lines (the expression C-escaped) and PASS/FAIL lines.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CASE_SECONDS 120
#define MAX_EXPR (1 << 17)

struct lib {
	void *h;
	pcap_t *(*open_dead)(int, int);
	int (*compile)(pcap_t *, struct bpf_program *, const char *, int, bpf_u_int32);
	char *(*geterr)(pcap_t *);
	void (*freecode)(struct bpf_program *);
	void (*close)(pcap_t *);
	u_int (*filter)(const struct bpf_insn *, const u_char *, u_int, u_int);
	int (*validate)(const struct bpf_insn *, int);
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
	l->name_to_val = sym(l->h, "pcap_datalink_name_to_val");
	l->open_offline = sym(l->h, "pcap_open_offline");
	l->next_ex = sym(l->h, "pcap_next_ex");
	l->datalink = sym(l->h, "pcap_datalink");
}

static struct lib ours, sys;
static const char *our_path, *sys_path, *shared;

/* ---- random numbers: xorshift, one stream per case ---- */
static uint64_t rng;

static unsigned pick(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (unsigned)(rng % n) : 0;
}

static void seed_case(unsigned long seed, long i)
{
	rng = (seed * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)i * 0xD1B54A32D192ED03ULL) ^ 0x5DEECE66DULL;
	for (int k = 0; k < 4; k++)
		pick(2);
}

#define N(a) (sizeof(a) / sizeof(a[0]))
#define PICK(a) (a[pick(N(a))])

/* ---- link types and their frames ---- */
static const char *dlt_names[] = { "EN10MB", "LINUX_SLL", "LINUX_SLL2", "RAW", "IEEE802_11_RADIO", "IEEE802_11",
	"NULL", "LOOP", "PPP", "SLIP", "PPP_ETHER", "IPV4", "IPV6", "PPP_SERIAL", "DOCSIS", "FDDI", "IEEE802", "C_HDLC", "IP_OVER_FC", "ARCNET_LINUX", "SUNATM", "IPNET", "PFLOG",
	"JUNIPER_ETHER", "MTP2", "CAN_SOCKETCAN", "USB_LINUX", "NETANALYZER", "NFLOG", "ERF", "PRISM_HEADER",
	"IEEE802_11_RADIO_AVS" };
/* The first ones are drawn more often: the everyday link types. All of them by default (or
 * FUZZ_DLTS=all); FUZZ_DLTS=A,B,... takes those named. */
#define EVERYDAY 9
static int dlt_use[N(dlt_names)], ndlt_use, neveryday = EVERYDAY;

struct frame {
	struct pcap_pkthdr hdr;
	u_char *data;
};
struct frames {
	int dlt, n, cap;
	struct frame *f;
};
static struct frames sets[N(dlt_names)];

static long frame_cap = 1500;

static void add_frame(struct frames *s, const u_char *d, unsigned caplen, unsigned len)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->f = realloc(s->f, sizeof(*s->f) * (size_t)s->cap);
	}
	s->f[s->n].hdr.caplen = caplen;
	s->f[s->n].hdr.len = len;
	s->f[s->n].data = malloc(caplen ? caplen : 1);
	memcpy(s->f[s->n].data, d, caplen);
	s->n++;
}

static struct frames *set_of(int dlt)
{
	for (size_t i = 0; i < N(sets); i++)
		if (sets[i].dlt == dlt)
			return &sets[i];
	return NULL;
}

/* Keeps every k-th frame of a capture so that each link type has about frame_cap frames. */
static void read_capture(const char *path, int sample)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = sys.open_offline(path, err);
	if (p == NULL)
		return;
	struct frames *s = set_of(sys.datalink(p));
	struct pcap_pkthdr *h;
	const u_char *d;
	long k = 0;
	while (s != NULL && sys.next_ex(p, &h, &d) == 1)
		if (k++ % sample == 0)
			add_frame(s, d, h->caplen, h->len);
	sys.close(p);
}

static void read_frames(void)
{
	char path[4096];
	for (size_t i = 0; i < N(dlt_names); i++)
		sets[i].dlt = sys.name_to_val(dlt_names[i]);
	for (size_t i = 0; i < N(dlt_names); i++) {
		snprintf(path, sizeof(path), "%s/compat/filters/synthetic/%s.pcap", shared, dlt_names[i]);
		char err[PCAP_ERRBUF_SIZE];
		pcap_t *p = sys.open_offline(path, err);
		if (p == NULL)
			continue;
		long n = 0;
		struct pcap_pkthdr *h;
		const u_char *d;
		while (sys.next_ex(p, &h, &d) == 1)
			n++;
		sys.close(p);
		read_capture(path, n > frame_cap ? (int)(n / frame_cap) : 1);
	}
	snprintf(path, sizeof(path), "%s/compat/tcpdump-4.99.3/tests", shared);
	DIR *dir = opendir(path);
	struct dirent *e;
	while (dir != NULL && (e = readdir(dir)) != NULL) {
		size_t len = strlen(e->d_name);
		if ((len > 5 && strcmp(e->d_name + len - 5, ".pcap") == 0) ||
		    (len > 7 && strcmp(e->d_name + len - 7, ".pcapng") == 0)) {
			char file[8192];
			snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
			read_capture(file, 8);
		}
	}
	if (dir != NULL)
		closedir(dir);
	/* Link types with few frames borrow Ethernet and raw-IP frames behind random link headers; every
	 * set gets mutated copies (bytes changed, cut short) and frames of random bytes. */
	struct frames *eth = set_of(1), *raw = set_of(sys.name_to_val("RAW"));
	rng = 77;
	for (size_t i = 0; i < N(sets); i++) {
		struct frames *s = &sets[i];
		u_char buf[2048];
		for (int k = 0; s->n < 300 && k < 600; k++) {
			struct frames *from = pick(2) && raw && raw->n ? raw : eth;
			if (from == NULL || from->n == 0)
				break;
			struct frame *f = &from->f[pick((unsigned)from->n)];
			unsigned pre = pick(3) ? pick(40) : 0, c = f->hdr.caplen + pre > sizeof(buf) ? sizeof(buf) - pre : f->hdr.caplen;
			for (unsigned b = 0; b < pre; b++)
				buf[b] = (u_char)pick(256);
			memcpy(buf + pre, f->data, c);
			add_frame(s, buf, pre + c, pre + c);
		}
		int base = s->n;
		for (int k = 0; base > 0 && k < 200; k++) {
			struct frame *f = &s->f[pick((unsigned)base)];
			unsigned c = f->hdr.caplen > sizeof(buf) ? sizeof(buf) : f->hdr.caplen;
			memcpy(buf, f->data, c);
			for (int m = 0, flips = 1 + (int)pick(4); c > 0 && m < flips; m++)
				buf[pick(c)] = (u_char)pick(256);
			if (pick(4) == 0 && c > 0)
				c = pick(c);
			add_frame(s, buf, c, pick(3) ? f->hdr.len : c + pick(100));
		}
		for (int k = 0; k < 20; k++) {
			unsigned c = pick(120);
			for (unsigned b = 0; b < c; b++)
				buf[b] = (u_char)pick(256);
			add_frame(s, buf, c, c);
		}
	}
}

/* ---- expressions ---- */
static const char *protos[] = { "ip", "ip6", "arp", "rarp", "tcp", "udp", "sctp", "icmp", "icmp6", "igmp", "igrp", "pim",
	"vrrp", "carp", "ah", "esp", "ether", "link", "ppp", "slip", "fddi", "tr", "wlan", "decnet", "lat", "sca", "moprc",
	"mopdl", "iso", "esis", "es-is", "isis", "is-is", "l1", "l2", "iih", "lsp", "snp", "csnp", "psnp", "clnp", "stp",
	"ipx", "netbeui", "atalk", "aarp", "radio" };
static const char *dirs[] = { "src", "dst", "src or dst", "src and dst", "addr1", "addr2", "addr3", "addr4", "address1",
	"ra", "ta" };
static const char *kinds[] = { "host", "net", "port", "portrange", "proto", "protochain", "gateway" };
static const char *ids[] = { "1.2.3.4", "10.0.0.0/8", "10.1", "10.1.2", "192.168.1.0 mask 255.255.255.0", "10/8", "1.2.3.4/32",
	"1.2.3.4/33", "1.2.3.0/24", "0.0.0.0/0", "80", "1-1023", "1023-1", "0-65535", "65536", "http", "domain", "::1",
	"fe80::/16", "fe80::/129", "2001:db8::1", "::ffff:1.2.3.4", "1::2::3", "00:11:22:33:44:55", "00-11-22-33-44-55",
	"0011.2233.4455", "001122334455", "1:2:3:4:5:6", "localhost", "tcp", "udp", "icmp", "300.1.2.3", "70000", "0x10",
	"017", "018", "6", "17", "smtp-25", "ftp-data", "nonexistent-name", "$1", "\\weird", "4294967295", "4294967296",
	"0xffffffff", "0x100000000", "077777777777", "-1", "1.2.3.4.5", "ip", "http-alt" };
static const char *atoms[] = { "vlan", "vlan 100", "vlan 4096", "vlan and vlan", "mpls", "mpls 7", "mpls 1048576", "pppoes",
	"pppoes 3", "pppoes 65536", "pppoed", "llc", "llc u", "llc s", "llc i", "llc rnr", "llc ui", "broadcast",
	"multicast", "ip broadcast", "ip multicast", "ip6 multicast", "ether broadcast", "ether multicast", "less 100",
	"greater 60", "inbound", "outbound", "ifindex 2", "type data", "type mgt subtype beacon", "subtype probe-req",
	"type ctl", "type foo", "subtype bar", "dir tods", "dir 3", "geneve", "geneve 7", "geneve 16777216", "byte 3 & 4",
	"byte 2 = 5", "byte 1 > 6", "ether proto 0x800", "ip proto 300", "ip6 proto tcp", "ip protochain 6",
	"ether src 1:2:3:4:5:6", "wlan addr2 1:2:3:4:5:6", "gateway localhost", "net 10", "net 1.2.3.4/24", "lane",
	"lane 2", "metac", "bcc", "oam", "oamf4", "sc", "ilmic", "vpi 1", "vci 5", "connectmsg", "metaconnect", "fisu",
	"lssu", "msu", "sio 3", "opc 5", "dpc 6", "sls 1", "hsio 4", "on eth0", "ifname lo", "rset foo", "rnr 3",
	"srnr 2", "reason match", "action pass", "action drop", "decnet host 1.2", "decnet src 10.20", "iso proto 0x81",
	"isis l1", "atalk", "ipx", "netbeui", "stp", "radio", "icmp6", "carp", "vrrp" };
static const char *fields[] = { "ip", "ip6", "tcp", "udp", "sctp", "icmp", "icmp6", "igmp", "igrp", "pim", "vrrp", "carp",
	"ether", "link", "ppp", "wlan", "radio", "arp", "rarp", "decnet", "atalk", "ipx", "iso", "esis", "isis", "clnp", "stp",
	"netbeui", "aarp", "lat", "sca", "moprc", "mopdl", "l1", "ah", "esp", "slip", "fddi", "tr" };
static const char *numbers[] = { "0", "1", "2", "3", "7", "8", "13", "14", "15", "16", "20", "31", "32", "33", "40", "63", "64",
	"127", "128", "255", "256", "1500", "32767", "32768", "65535", "65536", "2147483647", "2147483648", "4294967295",
	"0x0", "0xff", "0x7fffffff", "0x80000000", "0xffffffff", "00", "010", "037777777777", "tcpflags", "tcp-syn",
	"tcp-ack", "icmptype", "icmp-echo", "icmp6-echo", "icmp6type" };
static const char *relops[] = { "=", "==", "!=", "<", "<=", ">", ">=" };
static const char *arith[] = { "+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>" };
static const char *sizes[] = { "", ":1", ":2", ":4", ":3", ":0", ":5" };
static const char *junk[] = { "(", ")", "and", "or", "not", "[", "]", ":", "=", "+", "&&", "||", "!", "host", "42", "-", ">",
	"<<", "\\", "$", "$f", "\v", "\f", "\r", "\t", "\n", "\x01", "\x7f", "\x80", "\xff", "\xc3\xa9", ",", ";", "'", "\"",
	"#", "@", "{", "}", "`", "~", "?", "_", ".", "..", "0x", "09", "1e5", "ip[", "len", "ip6[0:" };

static void add(char *out, size_t size, const char *s)
{
	size_t l = strlen(out);
	if (l + 1 < size)
		snprintf(out + l, size - l, "%s", s);
}

static void arith_expr(char *out, size_t size, int depth);

static void arith_atom(char *out, size_t size, int depth)
{
	char a[1024];
	switch (pick(depth > 3 ? 3 : 6)) {
	case 0:
		add(out, size, PICK(numbers));
		break;
	case 1:
		add(out, size, pick(3) ? "len" : "length");
		break;
	case 2:
		snprintf(a, sizeof(a), "%s[%s%s]", PICK(fields), pick(3) ? PICK(numbers) : (pick(2) ? "-1" : "len"), PICK(sizes));
		add(out, size, a);
		break;
	case 3:
		add(out, size, PICK(fields));
		add(out, size, "[");
		arith_expr(out, size, depth + 1);
		add(out, size, PICK(sizes));
		add(out, size, "]");
		break;
	case 4:
		add(out, size, "(");
		arith_expr(out, size, depth + 1);
		add(out, size, ")");
		break;
	default:
		add(out, size, "-");
		arith_atom(out, size, depth + 1);
		break;
	}
}

static void arith_expr(char *out, size_t size, int depth)
{
	arith_atom(out, size, depth);
	for (int n = (int)pick(depth > 2 ? 2 : 4); n > 0; n--) {
		add(out, size, pick(4) ? " " : "");
		add(out, size, PICK(arith));
		add(out, size, pick(4) ? " " : "");
		arith_atom(out, size, depth + 1);
	}
}

static void primitive(char *out, size_t size)
{
	char a[1024];
	switch (pick(5)) {
	case 0:
		add(out, size, PICK(atoms));
		break;
	case 1:
		add(out, size, PICK(protos));
		break;
	case 2:
		arith_expr(out, size, 0);
		add(out, size, " ");
		add(out, size, PICK(relops));
		add(out, size, " ");
		arith_expr(out, size, 0);
		break;
	default:
		snprintf(a, sizeof(a), "%s%s%s%s%s%s", pick(2) ? PICK(protos) : "", " ", pick(2) ? PICK(dirs) : "", " ",
		    pick(3) ? PICK(kinds) : "", " ");
		add(out, size, a);
		add(out, size, PICK(ids));
		break;
	}
}

static void expression(char *out, size_t size, int depth)
{
	switch (pick(depth > 3 ? 2 : 7)) {
	case 0:
	case 1:
		primitive(out, size);
		break;
	case 2:
		add(out, size, pick(2) ? "not " : "!");
		expression(out, size, depth + 1);
		break;
	case 3:
		add(out, size, "(");
		expression(out, size, depth + 1);
		add(out, size, ")");
		break;
	case 4:
		expression(out, size, depth + 1);
		add(out, size, pick(2) ? " and " : " && ");
		if (pick(3) == 0)
			add(out, size, PICK(ids)); /* an id alone takes the previous qualifiers */
		else
			expression(out, size, depth + 1);
		break;
	default:
		expression(out, size, depth + 1);
		add(out, size, pick(2) ? " or " : " || ");
		expression(out, size, depth + 1);
		break;
	}
}

static char **corpus;
static long ncorpus;

static void read_corpus(void)
{
	char path[4096], line[8192];
	snprintf(path, sizeof(path), "%s/compat/filters/corpus.tsv", shared);
	FILE *in = fopen(path, "r");
	if (in == NULL)
		return;
	while (fgets(line, sizeof(line), in) != NULL) {
		char *a = strchr(line, '\t'), *b = a ? strchr(a + 1, '\t') : NULL, *c = b ? strchr(b + 1, '\t') : NULL;
		if (c == NULL)
			continue;
		*c = 0;
		corpus = realloc(corpus, sizeof(*corpus) * (size_t)(ncorpus + 1));
		corpus[ncorpus++] = strdup(b + 1);
	}
	fclose(in);
}

/* A run of one token, thousands long: the shapes that make scanners and parsers slow. */
static void long_token(char *out, size_t size)
{
	static const char *unit[] = { ":", "::", "a", "1", "1.", "a:", "ab:", "1:", "f", "0", "9", ".", "-", "(", ")", "!",
		"not ", "(ip)", " or ", "ip or ", "\\x", "$", "1::", "1.2.", "[", "tcp[", "a-", "-a", " ", "\t" };
	const char *u = PICK(unit);
	long reps = 1 + (long)pick(pick(4) ? 3000 : 12000);
	size_t ul = strlen(u), l = strlen(out);
	for (long r = 0; r < reps && l + ul + 1 < size; r++, l += ul)
		memcpy(out + l, u, ul);
	out[l] = 0;
	if (strcmp(u, "(") == 0 || strcmp(u, "tcp[") == 0)
		add(out, size, "ip");
}

static void mutate(char *e, size_t size)
{
	size_t l = strlen(e);
	char *tmp = malloc(size);
	switch (pick(8)) {
	case 0: /* change bytes */
		for (int k = 0, n = 1 + (int)pick(3); l > 0 && k < n; k++) {
			char c = (char)(1 + pick(255));
			e[pick((unsigned)l)] = c;
		}
		break;
	case 1: /* delete a span */
		if (l > 0) {
			size_t at = pick((unsigned)l), n = 1 + pick(8);
			if (at + n > l)
				n = l - at;
			memmove(e + at, e + at + n, l - at - n + 1);
		}
		break;
	case 2: /* insert a junk token */
	case 3: {
		size_t at = pick((unsigned)l + 1);
		snprintf(tmp, size, "%.*s%s%s%s%s", (int)at, e, pick(2) ? " " : "", PICK(junk), pick(2) ? " " : "", e + at);
		snprintf(e, size, "%s", tmp);
		break;
	}
	case 4: /* a number at the edges in place of a digit run */
		for (size_t i = 0; i < l; i++)
			if (e[i] >= '0' && e[i] <= '9' && pick(2)) {
				size_t j = i;
				while (j < l && e[j] >= '0' && e[j] <= '9')
					j++;
				snprintf(tmp, size, "%.*s%s%s", (int)i, e, PICK(numbers), e + j);
				snprintf(e, size, "%s", tmp);
				break;
			}
		break;
	case 5: /* join with another expression */
		snprintf(tmp, size, "%s", e);
		e[0] = 0;
		expression(e, size, 2);
		add(e, size, PICK(junk));
		add(e, size, tmp);
		break;
	case 6: { /* a very long token somewhere */
		size_t at = pick((unsigned)l + 1);
		char *t2 = malloc(size);
		t2[0] = 0;
		long_token(t2, size / 2);
		snprintf(tmp, size, "%.*s%s%s", (int)at, e, t2, e + at);
		snprintf(e, size, "%s", tmp);
		free(t2);
		break;
	}
	default: /* duplicate a span */
		if (l > 0) {
			size_t at = pick((unsigned)l), n = 1 + pick(16);
			if (at + n > l)
				n = l - at;
			snprintf(tmp, size, "%.*s%.*s%s", (int)(at + n), e, (int)n, e + at, e + at);
			snprintf(e, size, "%s", tmp);
		}
		break;
	}
	free(tmp);
}

/* Deep nesting: parentheses, negations, a chain of ands, or arithmetic in brackets. */
static void deep(char *out, size_t size)
{
	int n = 1 + (int)pick(pick(3) ? 200 : 12000);
	char *p = out;
	size_t room = size - 64;
	switch (pick(4)) {
	case 0:
		for (int k = 0; k < n && (size_t)(p - out) < room / 2; k++)
			*p++ = '(';
		p += sprintf(p, "ip");
		for (int k = 0; k < n && (size_t)(p - out) < room; k++)
			*p++ = ')';
		break;
	case 1:
		for (int k = 0; k < n && (size_t)(p - out) + 5 < room; k++)
			p += sprintf(p, pick(2) ? "not " : "!");
		p += sprintf(p, "tcp");
		break;
	case 2: /* libpcap's own compile time grows with the square of a chain's length: keep it short */
		p += sprintf(p, "ip");
		for (int k = 0; k < n && k < 2500 && (size_t)(p - out) + 12 < room; k++)
			p += sprintf(p, pick(2) ? " and ip" : " or udp");
		break;
	default:
		for (int k = 0; k < n && (size_t)(p - out) + 8 < room / 2; k++)
			p += sprintf(p, "ip[1+");
		p += sprintf(p, "1");
		for (int k = 0; k < n && (size_t)(p - out) + 2 < room; k++)
			*p++ = ']';
		p += sprintf(p, " = 1");
		break;
	}
	*p = 0;
}

struct fuzzcase {
	int dlt_index, snap, opt_both;
	bpf_u_int32 mask;
	char *expr;
};

static void make_case(unsigned long seed, long i, struct fuzzcase *c)
{
	seed_case(seed, i);
	c->dlt_index = dlt_use[pick(3) ? pick((unsigned)neveryday) : pick((unsigned)ndlt_use)];
	static const int snaps[] = { 262144, 262144, 65535, 96, 1, 0x7fffffff };
	c->snap = PICK(snaps);
	static const bpf_u_int32 masks[] = { PCAP_NETMASK_UNKNOWN, PCAP_NETMASK_UNKNOWN, 0xffffff00u, 0, 0xffff0000u };
	c->mask = PICK(masks);
	c->expr[0] = 0;
	unsigned how = pick(20);
	if (how < 9)
		expression(c->expr, MAX_EXPR, 0);
	else if (how < 12)
		primitive(c->expr, MAX_EXPR);
	else if (how < 17 && ncorpus > 0)
		snprintf(c->expr, MAX_EXPR, "%s", corpus[pick((unsigned)ncorpus)]);
	else if (how < 18)
		deep(c->expr, MAX_EXPR);
	else
		long_token(c->expr, MAX_EXPR);
	if (how >= 9 && how < 17 ? pick(4) != 0 : pick(3) == 0)
		for (int m = 1 + (int)pick(3); m > 0; m--)
			mutate(c->expr, MAX_EXPR);
}

/* ---- judging ---- */
struct tally {
	long cases, compiles, accept_agree, refused_both, errors_equal, accepted_both, verdicts_agree, invalid;
	long frame_runs, frame_agree, sys_only_failures, our_failures;
};

struct shared_state {
	volatile long current;     /* case being judged by the worker, -1 between cases */
	volatile long next;        /* first case not yet finished */
	volatile long started_ms;  /* when the current case began */
	struct tally t;
};
static struct shared_state *st;
static int shown, show_max = 40;

static void print_escaped(FILE *f, const char *s, size_t max)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && n < max; p++, n++) {
		if (*p == '\\')
			fputs("\\\\", f);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	if (strlen(s) > max)
		fprintf(f, "...(%zu bytes)", strlen(s));
}

static void show(long id, const char *dlt, const char *expr, const char *what)
{
	if (shown++ >= show_max)
		return;
	printf("  differs case %ld [%s] '", id, dlt);
	print_escaped(stdout, expr, 300);
	printf("': %s\n", what);
	fflush(stdout);
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

/* Documented noise of the reference (compat-tests/filters/README.md). */
static int quirky(const char *dlt, const char *expr)
{
	return (strstr(expr, "geneve") && strncmp(dlt, "IEEE802_11", 10) == 0) ||
	    (strstr(expr, "pppoes") && strcmp(dlt, "IEEE802_11_RADIO") == 0) || strstr(expr, "byte") != NULL;
}

static int verdicts(struct tally *t, long id, const char *dlt_name, const struct fuzzcase *c, int dlt, int opt,
    struct bpf_program *our, struct bpf_program *ref)
{
	if (!sys.validate(our->bf_insns, (int)our->bf_len) || unstored_scratch_load(our->bf_insns, (int)our->bf_len) >= 0) {
		t->invalid++;
		show(id, dlt_name, c->expr, opt ? "invalid optimised program" : "invalid unoptimised program");
		return 0;
	}
	struct frames *s = set_of(dlt);
	if (s == NULL || quirky(dlt_name, c->expr) || unstored_scratch_load(ref->bf_insns, (int)ref->bf_len) >= 0)
		return 1;
	struct bpf_program other = { 0, NULL };
	int have_other = 0, ok = 1;
	for (int i = 0; i < s->n; i++) {
		struct frame *f = &s->f[i];
		u_int a = sys.filter(our->bf_insns, f->data, f->hdr.len, f->hdr.caplen);
		u_int b = sys.filter(ref->bf_insns, f->data, f->hdr.len, f->hdr.caplen);
		t->frame_runs++;
		if (a == b) {
			t->frame_agree++;
			continue;
		}
		/* Past the captured bytes libpcap's optimised and unoptimised programs differ themselves. */
		char err[PCAP_ERRBUF_SIZE];
		if (!have_other)
			have_other = compile(&sys, dlt, c->snap, c->expr, !opt, c->mask, &other, err) == 0 ? 1 : -1;
		if (have_other == 1 && sys.filter(other.bf_insns, f->data, f->hdr.len, f->hdr.caplen) == a) {
			t->frame_agree++;
			continue;
		}
		if (ok) {
			char what[160];
			snprintf(what, sizeof(what), "frame %d (%u/%u bytes): ours %u, libpcap %u (%s)", i, f->hdr.caplen,
			    f->hdr.len, a, b, opt ? "optimised" : "unoptimised");
			show(id, dlt_name, c->expr, what);
		}
		ok = 0;
	}
	if (have_other == 1)
		sys.freecode(&other);
	return ok;
}

static void judge(struct tally *t, long id, const struct fuzzcase *c)
{
	const char *dlt_name = dlt_names[c->dlt_index];
	int dlt = sys.name_to_val(dlt_name);
	t->cases++;
	int ok = 1;
	for (int opt = 1; opt >= 0; opt--) {
		struct bpf_program r, o;
		char rerr[PCAP_ERRBUF_SIZE], oerr[PCAP_ERRBUF_SIZE], what[700];
		t->compiles++;
		int rrc = compile(&sys, dlt, c->snap, c->expr, opt, c->mask, &r, rerr);
		int orc = compile(&ours, dlt, c->snap, c->expr, opt, c->mask, &o, oerr);
		if ((rrc == 0) != (orc == 0)) {
			snprintf(what, sizeof(what), "%s: ours %s%s, libpcap %s%s", opt ? "optimised" : "unoptimised",
			    orc ? "refuses: " : "accepts", orc ? oerr : "", rrc ? "refuses: " : "accepts", rrc ? rerr : "");
			show(id, dlt_name, c->expr, what);
			ok = 0;
		} else {
			t->accept_agree++;
			if (rrc != 0) {
				t->refused_both++;
				if (strcmp(rerr, oerr) == 0)
					t->errors_equal++;
				else {
					snprintf(what, sizeof(what), "error \"%s\", libpcap \"%s\"", oerr, rerr);
					show(id, dlt_name, c->expr, what);
					ok = 0;
				}
			} else {
				t->accepted_both++;
				if (verdicts(t, id, dlt_name, c, dlt, opt, &o, &r))
					t->verdicts_agree++;
				else
					ok = 0;
			}
		}
		if (rrc == 0)
			sys.freecode(&r);
		if (orc == 0)
			ours.freecode(&o);
	}
	if (!ok)
		t->our_failures++;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* ---- supervision ---- */
static struct fuzzcase *list_cases;
static long list_count;
static unsigned long seed;

static void get_case(long i, struct fuzzcase *c)
{
	if (list_cases != NULL) {
		c->dlt_index = list_cases[i].dlt_index;
		c->snap = list_cases[i].snap;
		c->mask = PCAP_NETMASK_UNKNOWN;
		snprintf(c->expr, MAX_EXPR, "%s", list_cases[i].expr);
	} else
		make_case(seed, i, c);
}

static void worker(long from, long count)
{
	load(&ours, our_path);
	load(&sys, sys_path);
	read_frames();
	struct fuzzcase c;
	c.expr = malloc(MAX_EXPR);
	for (long i = from; i < count; i++) {
		get_case(i, &c);
		st->started_ms = now_ms();
		st->current = i;
		judge(&st->t, i, &c);
		st->current = -1;
		st->next = i + 1;
	}
	fflush(stdout);
	_exit(0);
}

/* Compiles case i on one library alone (both modes) in a fresh process: 0 when it returns, else how it died. */
static const char *alone(const char *path, long i)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct lib l;
		load(&l, path);
		struct fuzzcase c;
		c.expr = malloc(MAX_EXPR);
		if (list_cases == NULL) {
			/* make_case needs no library; the link-type value does */
			make_case(seed, i, &c);
		} else
			get_case(i, &c);
		alarm(CASE_SECONDS);
		int dlt = l.name_to_val(dlt_names[c.dlt_index]);
		for (int opt = 1; opt >= 0; opt--) {
			struct bpf_program p;
			char err[PCAP_ERRBUF_SIZE];
			if (compile(&l, dlt, c.snap, c.expr, opt, c.mask, &p, err) == 0)
				l.freecode(&p);
		}
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return NULL;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		return "hangs";
	return "crashes";
}

static int run(long count, const char *name)
{
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	memset((void *)st, 0, sizeof(*st));
	st->current = -1;
	long from = 0;
	while (from < count) {
		st->next = from;
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0)
			worker(from, count);
		int status = 0;
		for (;;) {
			pid_t w = waitpid(pid, &status, WNOHANG);
			if (w == pid)
				break;
			if (st->current >= 0 && now_ms() - st->started_ms > CASE_SECONDS * 1000L) {
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
				status = -1;
				break;
			}
			usleep(20000);
		}
		if (status == 0 && st->next >= count)
			break;
		long bad = st->current >= 0 ? st->current : st->next;
		struct fuzzcase c;
		c.expr = malloc(MAX_EXPR);
		get_case(bad, &c);
		const char *o = alone(our_path, bad), *s = alone(sys_path, bad);
		char what[200];
		snprintf(what, sizeof(what), "ours %s, libpcap %s", o ? o : "returns", s ? s : "returns");
		st->t.cases++;
		if (o == NULL && s != NULL) {
			st->t.sys_only_failures++;
			printf("  libpcap alone %s on case %ld [%s] '", s, bad, dlt_names[c.dlt_index]);
			print_escaped(stdout, c.expr, 200);
			printf("' (not held against ours)\n");
		} else {
			st->t.our_failures++;
			shown = 0; /* the worker's count is lost with it */
			show(bad, dlt_names[c.dlt_index], c.expr, what);
		}
		free(c.expr);
		from = bad + 1;
	}
	struct tally t = st->t;
	printf("%s: %ld expressions, %ld compiles: accept/refuse agree %ld/%ld; error texts equal %ld/%ld; verdicts agree "
	    "%ld/%ld programs (%ld/%ld frame runs); invalid programs %ld; libpcap alone crashed or hung on %ld\n", name,
	    count, t.compiles, t.accept_agree, t.compiles, t.errors_equal, t.refused_both, t.verdicts_agree,
	    t.accepted_both, t.frame_agree, t.frame_runs, t.invalid, t.sys_only_failures);
	printf("%s %s%s%ld of %ld expressions differ\n", t.our_failures ? "FAIL" : "PASS", name, t.our_failures ? ": " : " ",
	    t.our_failures, count);
	return t.our_failures != 0;
}

static int unescape(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (*p == '\\' && p[1] == '\\') {
			*o++ = '\\';
			p++;
		} else if (*p == '\\' && p[1] == 'x' && p[2] && p[3]) {
			char h[3] = { p[2], p[3], 0 };
			*o++ = (char)strtol(h, NULL, 16);
			p += 3;
		} else
			*o++ = *p;
	}
	*o = 0;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr, "usage: %s OUR_LIB SYSTEM_LIB SHARED_DIR COUNT SEED | list FILE\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	our_path = argv[1];
	sys_path = argv[2];
	shared = argv[3];
	if (getenv("FUZZ_FRAMES"))
		frame_cap = atol(getenv("FUZZ_FRAMES"));
	if (getenv("FUZZ_SHOW"))
		show_max = atoi(getenv("FUZZ_SHOW"));
	const char *want = getenv("FUZZ_DLTS");
	for (size_t k = 0; k < N(dlt_names); k++) {
		int take;
		if (want == NULL || *want == 0 || strcmp(want, "all") == 0)
			take = 1;
		else {
			size_t l = strlen(dlt_names[k]);
			const char *p = strstr(want, dlt_names[k]);
			take = p != NULL && (p == want || p[-1] == ',') && (p[l] == 0 || p[l] == ',');
		}
		if (take)
			dlt_use[ndlt_use++] = (int)k;
	}
	if (ndlt_use == 0) {
		fprintf(stderr, "FUZZ_DLTS names no link type this fuzzer knows\n");
		return 2;
	}
	if (neveryday > ndlt_use)
		neveryday = ndlt_use;
	if (strcmp(argv[4], "list") == 0) {
		FILE *in = fopen(argv[5], "r");
		if (in == NULL) {
			perror(argv[5]);
			return 2;
		}
		char *line = malloc(MAX_EXPR);
		while (fgets(line, MAX_EXPR, in) != NULL) {
			line[strcspn(line, "\n")] = 0;
			char *tab = strchr(line, '\t');
			if (tab == NULL)
				continue;
			*tab = 0;
			/* "DLT/SNAP": a snap length other than 262144 */
			int snap = 262144;
			char *slash = strchr(line, '/');
			if (slash != NULL) {
				*slash = 0;
				snap = atoi(slash + 1);
			}
			int d = -1;
			for (size_t k = 0; k < N(dlt_names); k++)
				if (strcmp(dlt_names[k], line) == 0)
					d = (int)k;
			if (d < 0)
				continue;
			unescape(tab + 1);
			list_cases = realloc(list_cases, sizeof(*list_cases) * (size_t)(list_count + 1));
			list_cases[list_count].dlt_index = d;
			list_cases[list_count].snap = snap;
			list_cases[list_count].expr = strdup(tab + 1);
			list_count++;
		}
		fclose(in);
		return run(list_count, "fuzz-expressions-list");
	}
	if (strcmp(argv[4], "case") == 0) {
		struct fuzzcase c;
		c.expr = malloc(MAX_EXPR);
		read_corpus();
		for (int k = 6; k < argc; k++) {
			make_case(strtoul(argv[5], NULL, 10), atol(argv[k]), &c);
			printf(c.snap == 262144 ? "%s\t" : "%s/%d\t", dlt_names[c.dlt_index], c.snap);
			print_escaped(stdout, c.expr, MAX_EXPR);
			printf("\n");
		}
		return 0;
	}
	long count = atol(argv[4]);
	seed = strtoul(argv[5], NULL, 10);
	read_corpus();
	char name[64];
	snprintf(name, sizeof(name), "fuzz-expressions-seed-%lu", seed);
	return run(count, name);
}
