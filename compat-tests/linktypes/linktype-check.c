/*
 * pcap_compile on every link type the loaded libpcap names (pcap_datalink_val_to_name), for the
 * primitives of primitives.txt, with and without optimisation, through pcap_open_dead: a plain
 * pcap client, run once on each library by compat-tests/suites/32-linktypes.sh.
 *
 *   linktype-check PRIMITIVES frames OUT      derive frames from this library's programs, append to OUT
 *   linktype-check PRIMITIVES judge FRAMES... one line per case: the error text, or the number of
 *                                             frames, how many were accepted and a hash of every verdict
 *
 * Frames of a link type: IPv4/IPv6/ARP/SNAP payloads behind headers of many lengths (zero and random
 * bytes), random frames, and the frames files. Derived frames come from a tracing run of a program:
 * at each conditional jump on a loaded value, a copy of the frame with the bytes set so the jump goes
 * the other way (and a longer copy where a load ran off the end), searched generation by generation.
 * Both runs judge the same frames, so their outputs are equal exactly when the two libraries accept
 * and refuse the same cases with the same texts and give the same verdicts and snap lengths.
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SNAPLEN 262144
#define MAXFRAME 4096

struct frame { uint32_t len; uint8_t *data; };
struct frames { struct frame *v; size_t n, cap; };

static void add_frame(struct frames *fs, const uint8_t *data, uint32_t len)
{
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 256;
		fs->v = realloc(fs->v, fs->cap * sizeof *fs->v);
		if (!fs->v) abort();
	}
	fs->v[fs->n].len = len;
	fs->v[fs->n].data = malloc(len ? len : 1);
	if (!fs->v[fs->n].data) abort();
	memcpy(fs->v[fs->n].data, data, len);
	fs->n++;
}

static uint64_t fnv(const uint8_t *p, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++) { h ^= p[i]; h *= 1099511628211ULL; }
	return h;
}

/* A set of frame hashes, so no frame is kept twice. */
struct seen { uint64_t *v; size_t cap, n; };

static int seen_add(struct seen *s, uint64_t h)
{
	if (h == 0) h = 1;
	if (s->n * 2 >= s->cap) {
		struct seen t = { calloc(s->cap ? s->cap * 2 : 1024, 8), s->cap ? s->cap * 2 : 1024, 0 };
		if (!t.v) abort();
		for (size_t i = 0; i < s->cap; i++) if (s->v[i]) seen_add(&t, s->v[i]);
		free(s->v);
		*s = t;
	}
	size_t i = h % s->cap;
	while (s->v[i]) { if (s->v[i] == h) return 0; i = (i + 1) % s->cap; }
	s->v[i] = h;
	s->n++;
	return 1;
}

static uint32_t rnd_state;
static uint32_t rnd(void) { rnd_state ^= rnd_state << 13; rnd_state ^= rnd_state >> 17; rnd_state ^= rnd_state << 5; return rnd_state; }

static size_t ipv4(uint8_t *b, uint8_t proto, const uint8_t *pl, size_t pln)
{
	memset(b, 0, 20);
	b[0] = 0x45; b[2] = (uint8_t)((20 + pln) >> 8); b[3] = (uint8_t)(20 + pln); b[8] = 64; b[9] = proto;
	b[12] = 10; b[15] = 1; b[16] = 10; b[19] = 2;
	memcpy(b + 20, pl, pln);
	return 20 + pln;
}

static size_t ipv6(uint8_t *b, uint8_t next, const uint8_t *pl, size_t pln)
{
	memset(b, 0, 40);
	b[0] = 0x60; b[5] = (uint8_t)pln; b[6] = next; b[7] = 64; b[8] = 0xfe; b[9] = 0x80; b[23] = 1; b[24] = 0xff; b[25] = 2; b[39] = 1;
	memcpy(b + 40, pl, pln);
	return 40 + pln;
}

static void seeds(int dlt, struct frames *fs)
{
	static const int hdr[] = { 0, 1, 2, 4, 6, 8, 10, 12, 13, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 40, 44, 48, 64, 72, 144 };
	static const uint8_t tcp[] = { 0x04, 0xd2, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x12, 0, 0, 0, 0, 0, 0 };
	static const uint8_t udp[] = { 0x14, 0xe9, 0, 53, 0, 12, 0, 0, 1, 2, 3, 4 };
	static const uint8_t icmp[] = { 8, 0, 0, 0, 0, 1, 0, 1 };
	static const uint8_t arp[] = { 0, 1, 8, 0, 6, 4, 0, 1, 1, 2, 3, 4, 5, 6, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2 };
	static const uint8_t snap[] = { 0xaa, 0xaa, 3, 0, 0, 0, 8, 0 };
	uint8_t pl[7][128], f[512];
	size_t pln[7];
	pln[0] = ipv4(pl[0], 6, tcp, sizeof tcp);
	pln[1] = ipv4(pl[1], 17, udp, sizeof udp);
	pln[2] = ipv4(pl[2], 1, icmp, sizeof icmp);
	pln[3] = ipv6(pl[3], 6, tcp, sizeof tcp);
	pln[4] = ipv6(pl[4], 17, udp, sizeof udp);
	memcpy(pl[5], arp, sizeof arp); pln[5] = sizeof arp;
	memcpy(pl[6], snap, sizeof snap); pln[6] = sizeof snap + ipv4(pl[6] + sizeof snap, 6, tcp, sizeof tcp);
	rnd_state = (uint32_t)dlt * 7919u + 1u;
	for (int p = 0; p < 7; p++)
		for (size_t h = 0; h < sizeof hdr / sizeof hdr[0]; h++)
			for (int r = 0; r < 2; r++) {
				for (int i = 0; i < hdr[h]; i++) f[i] = r ? (uint8_t)rnd() : 0;
				memcpy(f + hdr[h], pl[p], pln[p]);
				add_frame(fs, f, (uint32_t)(hdr[h] + pln[p]));
			}
	for (int i = 0; i < 40; i++) {
		uint32_t n = rnd() % 200;
		for (uint32_t j = 0; j < n; j++) f[j] = (uint8_t)rnd();
		add_frame(fs, f, n);
	}
}

/* Where the accumulator came from: a load of size bytes at offset, under a mask (valid when size > 0). */
struct src { uint32_t off; int size; uint32_t mask; };
struct branch { struct src at; uint32_t value; };

static uint32_t lowbit(uint32_t m) { return m ? m & (~m + 1) : 1; }

/* Runs the program as bpf_filter does, noting for each conditional jump on a loaded value the value that
 * sends it the other way; returns the length a failed load needed, or 0. */
static uint32_t trace(const struct bpf_insn *p, int n, const uint8_t *d, uint32_t len, struct branch *br, int *nbr, int maxbr)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	struct src as = { 0, 0, 0 }, ms[BPF_MEMWORDS];
	memset(ms, 0, sizeof ms);
	*nbr = 0;
	for (int pc = 0, steps = 0; pc < n && steps < 100000; steps++) {
		const struct bpf_insn *i = &p[pc++];
		uint32_t k = i->k;
		switch (BPF_CLASS(i->code)) {
		case BPF_LD: case BPF_LDX: {
			int mode = BPF_MODE(i->code), sz = BPF_SIZE(i->code), bytes = sz == BPF_W ? 4 : sz == BPF_H ? 2 : 1;
			uint32_t v = 0;
			struct src s = { 0, 0, 0 };
			if (mode == BPF_IMM) v = k;
			else if (mode == BPF_LEN) v = len;
			else if (mode == BPF_MEM) { v = mem[k & 15]; s = ms[k & 15]; }
			else if (mode == BPF_MSH) { if (k >= len) return k < MAXFRAME ? k + 1 : 0; v = (uint32_t)(d[k] & 0xf) << 2; }
			else {
				uint64_t off = mode == BPF_IND ? (uint64_t)x + k : k;
				if (off + (uint64_t)bytes > len) return off + (uint64_t)bytes <= MAXFRAME ? (uint32_t)(off + bytes) : 0;
				uint32_t o = (uint32_t)off;
				v = bytes == 4 ? (uint32_t)d[o] << 24 | (uint32_t)d[o + 1] << 16 | (uint32_t)d[o + 2] << 8 | d[o + 3]
					: bytes == 2 ? (uint32_t)d[o] << 8 | d[o + 1] : d[o];
				s.off = o; s.size = bytes; s.mask = bytes == 4 ? 0xffffffffu : bytes == 2 ? 0xffffu : 0xffu;
			}
			if (BPF_CLASS(i->code) == BPF_LDX) x = v; else { a = v; as = s; }
			break;
		}
		case BPF_ST: mem[k & 15] = a; ms[k & 15] = as; break;
		case BPF_STX: mem[k & 15] = x; memset(&ms[k & 15], 0, sizeof ms[0]); break;
		case BPF_ALU: {
			uint32_t o = BPF_SRC(i->code) == BPF_X ? x : k;
			int op = BPF_OP(i->code);
			if (op == BPF_AND && BPF_SRC(i->code) == BPF_K && as.size) as.mask &= k; else as.size = 0;
			switch (op) {
			case BPF_ADD: a += o; break;
			case BPF_SUB: a -= o; break;
			case BPF_MUL: a *= o; break;
			case BPF_DIV: if (!o) return 0; a /= o; break;
			case BPF_MOD: if (!o) return 0; a %= o; break;
			case BPF_OR: a |= o; break;
			case BPF_AND: a &= o; break;
			case BPF_XOR: a ^= o; break;
			case BPF_LSH: a = o < 32 ? a << o : 0; break;
			case BPF_RSH: a = o < 32 ? a >> o : 0; break;
			case BPF_NEG: a = ~a + 1; break;
			}
			break;
		}
		case BPF_JMP: {
			int op = BPF_OP(i->code);
			if (op == BPF_JA) { pc += (int)k; break; }
			uint32_t o = BPF_SRC(i->code) == BPF_X ? x : k;
			int taken = op == BPF_JEQ ? a == o : op == BPF_JGT ? a > o : op == BPF_JGE ? a >= o : (a & o) != 0;
			if (as.size && *nbr < maxbr) {
				uint32_t want = op == BPF_JEQ ? (taken ? o ^ lowbit(as.mask) : o)
					: op == BPF_JGT ? (taken ? o : o + 1)
					: op == BPF_JGE ? (taken ? o - 1 : o)
					: (taken ? a & ~o : (lowbit(o & as.mask) | a));
				br[*nbr].at = as;
				br[(*nbr)++].value = want;
			}
			pc += taken ? i->jt : i->jf;
			break;
		}
		case BPF_RET: return 0;
		case BPF_MISC: if (BPF_MISCOP(i->code) == BPF_TAX) x = a; else { a = x; as.size = 0; } break;
		}
	}
	return 0;
}

/* Whether some path loads a scratch cell it never stored: bpf_filter's scratch memory is not
 * initialised, so such a program's verdicts are noise (libpcap's own for PPPoE on 802.11 with a
 * radio header, for example; ours store zero first). Jumps only go forward, so one pass settles it. */
static int reads_unstored_scratch(const struct bpf_program *prog)
{
	int n = (int)prog->bf_len;
	uint32_t *stored = malloc(((size_t)n + 1) * sizeof *stored);
	char *reached = calloc((size_t)n + 1, 1);
	int bad = 0;
	if (!stored || !reached) abort();
	stored[0] = 0;
	reached[0] = 1;
	for (int i = 0; i < n && !bad; i++) {
		if (!reached[i]) continue;
		const struct bpf_insn *in = &prog->bf_insns[i];
		uint32_t s = stored[i];
		int cls = BPF_CLASS(in->code);
		if ((cls == BPF_LD || cls == BPF_LDX) && BPF_MODE(in->code) == BPF_MEM && !(s & (1u << (in->k & 15)))) bad = 1;
		if (cls == BPF_ST || cls == BPF_STX) s |= 1u << (in->k & 15);
		if (cls == BPF_RET) continue;
		int targets[2] = { i + 1, -1 };
		if (cls == BPF_JMP) {
			if (BPF_OP(in->code) == BPF_JA) targets[0] = i + 1 + (int)in->k;
			else { targets[0] = i + 1 + in->jt; targets[1] = i + 1 + in->jf; }
		}
		for (int t = 0; t < 2; t++) {
			int j = targets[t];
			if (j < 0 || j > n) continue;
			stored[j] = reached[j] ? stored[j] & s : s;
			reached[j] = 1;
		}
	}
	free(stored);
	free(reached);
	return bad;
}

struct item { uint8_t *data; uint32_t len; int bound; };

/* Frames that steer the program down its other branches, from a few of the seeds (see the top). */
static void derive(const struct bpf_program *prog, const struct frames *seed, struct seen *seen, struct frames *out)
{
	enum { BUDGET = 128, ROUNDS = 12, MAXBR = 512 };
	struct branch br[MAXBR];
	struct item *queue = calloc(BUDGET + 16, sizeof *queue), *next = calloc(BUDGET + 16, sizeof *next);
	size_t nq = 0, made = 0;
	if (!queue || !next) abort();
	size_t step = seed->n / 12 ? seed->n / 12 : 1;
	for (size_t i = 0; i < seed->n && nq < 12; i += step)
		queue[nq++] = (struct item){ seed->v[i].data, seed->v[i].len, 0 };
	for (int round = 0; round < ROUNDS && nq && made < BUDGET; round++) {
		size_t nn = 0;
		for (size_t q = 0; q < nq && made < BUDGET; q++) {
			int nbr;
			uint32_t need = trace(prog->bf_insns, (int)prog->bf_len, queue[q].data, queue[q].len, br, &nbr, MAXBR);
			for (int c = need ? -1 : 0; c < nbr - queue[q].bound && made < BUDGET; c++) {
				/* c = -1: the longer frame; then the jumps from the last back to the bound. */
				uint8_t f[MAXFRAME];
				uint32_t len = queue[q].len;
				int bound = queue[q].bound;
				memcpy(f, queue[q].data, len);
				if (c < 0) {
					for (uint32_t j = len; j < need; j++) f[j] = (uint8_t)(j * 7 + 3);
					len = need;
				} else {
					int b = nbr - 1 - c;
					struct src at = br[b].at;
					uint64_t end = (uint64_t)at.off + (uint64_t)at.size;
					if (end > MAXFRAME) continue;
					if (end > len) { memset(f + len, 0, end - len); len = (uint32_t)end; }
					uint32_t old = 0;
					for (int j = 0; j < at.size; j++) old = old << 8 | f[at.off + j];
					uint32_t v = (old & ~at.mask) | (br[b].value & at.mask);
					for (int j = at.size - 1; j >= 0; j--) { f[at.off + j] = (uint8_t)v; v >>= 8; }
					bound = b + 1;
				}
				if (!seen_add(seen, fnv(f, len, 14695981039346656037ULL ^ len))) continue;
				add_frame(out, f, len);
				next[nn++] = (struct item){ out->v[out->n - 1].data, len, bound };
				made++;
			}
		}
		struct item *t = queue; queue = next; next = t; nq = nn;
	}
	free(queue);
	free(next);
}

static char **read_primitives(const char *path, int *count)
{
	FILE *f = fopen(path, "r");
	if (!f) { perror(path); exit(2); }
	char line[512], **v = NULL;
	int n = 0;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0] == '#' || line[0] == '[' || line[0] == 0) continue;
		v = realloc(v, (size_t)(n + 1) * sizeof *v);
		v[n++] = strdup(strcmp(line, "(empty)") == 0 ? "" : line);
	}
	fclose(f);
	*count = n;
	return v;
}

static void read_frames(const char *path, struct frames *all)
{
	FILE *f = fopen(path, "rb");
	if (!f) { perror(path); exit(2); }
	uint32_t hdr[2];
	uint8_t buf[MAXFRAME];
	while (fread(hdr, 4, 2, f) == 2 && hdr[1] <= MAXFRAME && fread(buf, 1, hdr[1], f) == hdr[1])
		if (hdr[0] < 65536) add_frame(&all[hdr[0]], buf, hdr[1]);
	fclose(f);
}

int main(int argc, char **argv)
{
	if (argc < 4 || (strcmp(argv[2], "frames") && strcmp(argv[2], "judge"))) {
		fprintf(stderr, "usage: %s PRIMITIVES frames OUT | PRIMITIVES judge FRAMES...\n", argv[0]);
		return 2;
	}
	int nexpr;
	char **expr = read_primitives(argv[1], &nexpr);
	int judge = strcmp(argv[2], "judge") == 0;
	static struct frames loaded[65536];
	FILE *out = NULL;
	if (judge) {
		printf("library\t%s\n", pcap_lib_version());
		for (int i = 3; i < argc; i++) read_frames(argv[i], loaded);
	}
	else if (!(out = fopen(argv[3], "ab"))) { perror(argv[3]); return 2; }
	for (int dlt = 0; dlt < 65536; dlt++) {
		const char *name = pcap_datalink_val_to_name(dlt);
		if (!name) continue;
		struct frames fs = { 0 }, derived = { 0 };
		struct seen seen = { 0 };
		seeds(dlt, &fs);
		for (size_t i = 0; i < loaded[dlt].n; i++) add_frame(&fs, loaded[dlt].v[i].data, loaded[dlt].v[i].len);
		for (int e = 0; e < nexpr; e++)
			for (int opt = 1; opt >= 0; opt--) {
				pcap_t *p = pcap_open_dead(dlt, SNAPLEN);
				struct bpf_program prog;
				if (!p) { printf("%s\t%d\t%s\tpcap_open_dead failed\n", name, opt, expr[e]); continue; }
				if (pcap_compile(p, &prog, expr[e], opt, 0xffffff00) != 0) {
					if (judge) printf("%s\t%d\t%s\terror: %s\n", name, opt, expr[e], pcap_geterr(p));
					pcap_close(p);
					continue;
				}
				if (judge) {
					uint64_t h = 14695981039346656037ULL;
					size_t accepted = 0;
					for (size_t i = 0; i < fs.n; i++) {
						u_int v = bpf_filter(prog.bf_insns, fs.v[i].data, fs.v[i].len, fs.v[i].len);
						accepted += v != 0;
						h = fnv((const uint8_t *)&v, sizeof v, h);
					}
					if (reads_unstored_scratch(&prog))
						printf("%s\t%d\t%s\tok, verdicts are noise: the program reads a scratch cell it never stored\n", name, opt, expr[e]);
					else
						printf("%s\t%d\t%s\tok %zu frames, %zu accepted, verdicts %016llx\n", name, opt, expr[e], fs.n, accepted, (unsigned long long)h);
				} else
					derive(&prog, &fs, &seen, &derived);
				pcap_freecode(&prog);
				pcap_close(p);
			}
		for (size_t i = 0; i < derived.n; i++) {
			uint32_t hdr[2] = { (uint32_t)dlt, derived.v[i].len };
			fwrite(hdr, 4, 2, out);
			fwrite(derived.v[i].data, 1, derived.v[i].len, out);
			free(derived.v[i].data);
		}
		for (size_t i = 0; i < fs.n; i++) free(fs.v[i].data);
		free(fs.v);
		free(derived.v);
		free(seen.v);
	}
	if (out) fclose(out);
	return 0;
}
