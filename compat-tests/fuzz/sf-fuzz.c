/*
 * sf-fuzz: differential fuzzing of savefile reading, our library against the system libpcap.
 *
 *   sf-fuzz OUR_LIB COUNT SEED         make COUNT savefiles from SEED and read each on both libraries
 *   sf-fuzz read LIST                  (the reader) read the files LIST names, printing what a program sees
 *   sf-fuzz make DIR COUNT SEED        only make the files (DIR/N.cap) and print how each is to be read
 *
 * Files are made structure-aware: pcap (both byte orders, micro/nano magic, odd versions, snap lengths
 * and link types, records with caplen past the snap length or the length, huge or zero sizes) and pcapng
 * (sections in either byte order, several sections, section lengths, interface blocks with options such
 * as if_tsresol and if_tsoffset, enhanced/simple/obsolete packet blocks, name-resolution, statistics,
 * custom and unknown blocks, options with bad lengths, trailers that disagree), then mutated (bytes
 * changed, block lengths moved, spans cut or repeated, the file truncated). One file in sixteen is
 * larger than the readers' 512 KiB buffer, with records laid across its edges. Each file is read in
 * one of several ways (pcap_loop, pcap_dispatch by threes, pcap_next_ex, pcap_next, nanosecond
 * precision, through a pipe with pcap_fopen_offline).
 *
 * The reader runs once on the system libpcap and once with our library preloaded, over a batch of
 * files; outputs are compared file by file (open error, properties, every record's header and a hash
 * of its bytes, the end status and error text). A reader that dies or hangs is restarted after that
 * file, and the file is read on each library alone to see which one failed: a crash or hang of
 * libpcap alone is counted and not held against ours. Prints PASS/FAIL lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCH 250
#define FILE_SECONDS 20
#define BIG_EDGE (512 * 1024)

/* ---------------------------------------------------------------- reader */

static unsigned long packets;

static unsigned hash(const u_char *d, unsigned n)
{
	unsigned h = 2166136261u;
	for (unsigned i = 0; i < n; i++)
		h = (h ^ d[i]) * 16777619u;
	return h;
}

static void show(const struct pcap_pkthdr *h, const u_char *d)
{
	printf("%ld.%09ld %u %u %08x\n", (long)h->ts.tv_sec, (long)h->ts.tv_usec, h->caplen, h->len, hash(d, h->caplen));
	packets++;
}

static void callback(u_char *user, const struct pcap_pkthdr *h, const u_char *d)
{
	(void)user;
	show(h, d);
}

/* Reads one file in the way `mode` says (0..5) and prints all a program sees of it. */
static void read_one(const char *path, int mode)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	int precision = mode == 4 ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO, status = 0;
	pcap_t *p;
	pid_t writer = -1;
	packets = 0;
	errbuf[0] = 0;
	if (mode == 5) {
		/* Through a pipe: a child copies the file in; the reader sees a stream it cannot seek. */
		int fds[2];
		if (pipe(fds) != 0) {
			printf("pipe failed\n");
			return;
		}
		writer = fork();
		if (writer == 0) {
			close(fds[0]);
			int fd = open(path, O_RDONLY);
			char buf[65536];
			ssize_t n;
			while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
				if (write(fds[1], buf, (size_t)n) != n)
					break;
			_exit(0);
		}
		close(fds[1]);
		FILE *f = fdopen(fds[0], "rb");
		p = pcap_fopen_offline_with_tstamp_precision(f, precision, errbuf);
		if (p == NULL)
			fclose(f);
	} else
		p = pcap_open_offline_with_tstamp_precision(path, precision, errbuf);
	if (p == NULL) {
		printf("open error: %s\n", errbuf);
	} else {
		printf("linktype %d snapshot %d swapped %d version %d.%d precision %d\n", pcap_datalink(p),
		    pcap_snapshot(p), pcap_is_swapped(p), pcap_major_version(p), pcap_minor_version(p),
		    pcap_get_tstamp_precision(p));
		if (mode == 0 || mode == 4 || mode == 5)
			status = pcap_loop(p, -1, callback, NULL);
		else if (mode == 1) {
			while ((status = pcap_dispatch(p, 3, callback, NULL)) > 0)
				;
		} else if (mode == 2) {
			struct pcap_pkthdr *h;
			const u_char *d;
			while ((status = pcap_next_ex(p, &h, &d)) == 1)
				show(h, d);
		} else {
			struct pcap_pkthdr h;
			const u_char *d;
			while ((d = pcap_next(p, &h)) != NULL)
				show(&h, d);
		}
		printf("status %d packets %lu error \"%s\"\n", status, packets,
		    status == -1 || mode == 3 ? pcap_geterr(p) : "");
		pcap_close(p);
	}
	if (writer > 0) {
		kill(writer, SIGKILL);
		waitpid(writer, NULL, 0);
	}
}

/* LIST lines: "INDEX MODE PATH". Each file's output is framed by FILE/END lines. */
static int reader(const char *list)
{
	FILE *in = fopen(list, "r");
	char line[8192];
	if (in == NULL)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	while (fgets(line, sizeof(line), in) != NULL) {
		long index;
		int mode, used;
		line[strcspn(line, "\n")] = 0;
		if (sscanf(line, "%ld %d %n", &index, &mode, &used) < 2)
			continue;
		printf("FILE %ld\n", index);
		fflush(stdout);
		read_one(line + used, mode);
		printf("END %ld\n", index);
		fflush(stdout);
	}
	fclose(in);
	return 0;
}

/* ---------------------------------------------------------------- generator */

static uint64_t rng;

static unsigned pick(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (unsigned)(rng % n) : 0;
}

static void seed_file(unsigned long seed, long i)
{
	rng = (seed * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)i * 0xD1B54A32D192ED03ULL) ^ 0x2545F4914F6CDD1DULL;
	for (int k = 0; k < 4; k++)
		pick(2);
}

struct buf {
	unsigned char *d;
	size_t n, cap;
	int big; /* byte order of what is being written */
};

static void put(struct buf *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 4096;
		b->d = realloc(b->d, b->cap);
	}
	memcpy(b->d + b->n, p, n);
	b->n += n;
}

static void u8(struct buf *b, unsigned v)
{
	unsigned char c = (unsigned char)v;
	put(b, &c, 1);
}

static void u16(struct buf *b, unsigned v)
{
	unsigned char c[2] = { (unsigned char)v, (unsigned char)(v >> 8) };
	if (b->big) {
		c[0] = (unsigned char)(v >> 8);
		c[1] = (unsigned char)v;
	}
	put(b, c, 2);
}

static void u32(struct buf *b, uint32_t v)
{
	unsigned char c[4];
	for (int k = 0; k < 4; k++)
		c[k] = (unsigned char)(b->big ? v >> (24 - 8 * k) : v >> (8 * k));
	put(b, c, 4);
}

static void set32(struct buf *b, size_t at, uint32_t v)
{
	for (int k = 0; k < 4; k++)
		b->d[at + (size_t)k] = (unsigned char)(b->big ? v >> (24 - 8 * k) : v >> (8 * k));
}

static void bytes(struct buf *b, size_t n)
{
	for (size_t k = 0; k < n; k++)
		u8(b, pick(4) ? pick(256) : 0);
}

/* A number at the edges of what a field holds, or an ordinary one. */
static uint32_t edgy(uint32_t ordinary)
{
	static const uint32_t edges[] = { 0, 1, 2, 3, 4, 7, 8, 64, 65535, 65536, 262144, 262145, 0x7fffffff, 0x80000000,
		0xffffffff, 0xfffffffe, 999999, 1000000, 999999999, 1000000000, 16777216, 2147483647 };
	return pick(5) == 0 ? edges[pick(sizeof(edges) / sizeof(edges[0]))] : ordinary;
}

static const uint32_t linktypes[] = { 1, 1, 1, 0, 101, 113, 276, 105, 127, 108, 9, 12, 14, 228, 229, 147, 190, 192, 220,
	239, 247, 252, 263, 276, 287, 288, 289, 290, 0x10000001, 0x04000001, 0xffff, 0x3ffffff };

/* Record sizes for one file: mostly small, sometimes large, so that a big file has records across the
 * 512 KiB buffer's edges. */
static uint32_t record_size(int big)
{
	if (big)
		return pick(4) ? 1000 + pick(60000) : 60 + pick(200);
	switch (pick(6)) {
	case 0:
		return 0;
	case 1:
		return pick(20);
	case 2:
		return 1500 + pick(9000);
	default:
		return 40 + pick(200);
	}
}

static void make_pcap(struct buf *b, int big)
{
	b->big = pick(2);
	int nano = pick(3) == 0;
	u32(b, nano ? 0xa1b23c4d : 0xa1b2c3d4);
	unsigned major = pick(10) ? 2 : pick(5), minor = pick(10) ? 4 : pick(2) ? 3 : pick(8);
	u16(b, major);
	u16(b, minor);
	u32(b, pick(8) ? 0 : pick(100000));
	u32(b, pick(8) ? 0 : pick(10));
	uint32_t snap = pick(3) ? 262144 : edgy(pick(2) ? 65535 : 96);
	u32(b, snap);
	u32(b, pick(3) ? 1 : linktypes[pick(sizeof(linktypes) / sizeof(linktypes[0]))]);
	size_t target = big ? BIG_EDGE + pick(BIG_EDGE) : 0;
	int records = big ? 1 << 30 : (int)pick(40);
	uint32_t sec = pick(2) ? 1600000000 + pick(1000) : edgy(0);
	for (int r = 0; r < records && (!big || b->n < target); r++) {
		uint32_t len = record_size(big), cap = len;
		if (pick(12) == 0)
			cap = edgy(len + pick(100));
		else if (pick(12) == 0 && len > 0)
			cap = pick(len);
		u32(b, sec + (uint32_t)r);
		u32(b, pick(12) ? pick(nano ? 1000000000 : 1000000) : edgy(999999));
		u32(b, cap);
		u32(b, pick(12) ? (cap > len ? cap : len) : edgy(len));
		bytes(b, cap > 70000 ? pick(100) : cap);
	}
}

/* pcapng: a block with its total length at both ends; body written by the caller between begin/end. */
static size_t begin_block(struct buf *b, uint32_t type)
{
	u32(b, type);
	size_t at = b->n;
	u32(b, 0);
	return at;
}

static void end_block(struct buf *b, size_t at)
{
	while ((b->n - at + 8) % 4)
		u8(b, 0);
	uint32_t total = (uint32_t)(b->n - at + 8);
	set32(b, at, total);
	u32(b, pick(40) ? total : edgy(total + 4));
}

static void option(struct buf *b, unsigned code, const void *v, unsigned len)
{
	u16(b, code);
	u16(b, pick(30) ? len : len + 4 * (1 + pick(3)));
	put(b, v, len);
	while (len++ % 4)
		u8(b, 0);
}

static void options_end(struct buf *b)
{
	if (pick(4))
		option(b, 0, "", 0);
}

static void make_shb(struct buf *b)
{
	b->big = pick(2);
	size_t at = begin_block(b, 0x0a0d0d0a);
	u32(b, 0x1a2b3c4d);
	u16(b, pick(12) ? 1 : pick(3));
	u16(b, pick(12) ? 0 : pick(3));
	u32(b, 0xffffffff); /* section length: -1 (unknown) */
	u32(b, 0xffffffff);
	if (pick(2)) {
		option(b, 2, "x86", 3);
		option(b, 4, "fuzz", 4);
		if (pick(5) == 0)
			option(b, 1, "comment with some length", 24);
		options_end(b);
	}
	end_block(b, at);
}

static int interfaces;

static void make_idb(struct buf *b)
{
	size_t at = begin_block(b, 1);
	u16(b, pick(3) ? 1 : (uint16_t)linktypes[pick(sizeof(linktypes) / sizeof(linktypes[0]))]);
	u16(b, 0);
	u32(b, pick(3) ? 262144 : edgy(65535));
	if (pick(2)) {
		option(b, 2, "eth0", 4);
		if (pick(3) == 0) {
			unsigned char res = pick(2) ? (unsigned char)pick(12) : (unsigned char)(0x80 | pick(40));
			option(b, 9, &res, pick(8) ? 1 : 2);
		}
		if (pick(4) == 0) {
			unsigned char off[8];
			for (int k = 0; k < 8; k++)
				off[k] = (unsigned char)(pick(3) ? 0 : pick(256));
			option(b, 14, off, pick(8) ? 8 : 4);
		}
		if (pick(6) == 0)
			option(b, 0x4444, "unknown option", 14);
		options_end(b);
	}
	end_block(b, at);
	interfaces++;
}

static void make_packet_blocks(struct buf *b, int big)
{
	size_t target = big ? BIG_EDGE + pick(BIG_EDGE) : 0;
	int records = big ? 1 << 30 : (int)pick(30);
	for (int r = 0; r < records && (!big || b->n < target); r++) {
		uint32_t len = record_size(big), cap = len;
		if (pick(12) == 0)
			cap = pick(len + 1);
		unsigned kind = pick(20);
		if (kind < 15) { /* enhanced packet block */
			size_t at = begin_block(b, 6);
			u32(b, pick(20) ? (interfaces ? pick((unsigned)interfaces) : 0) : edgy(interfaces));
			u32(b, pick(20) ? 0x5a0 : edgy(0));
			u32(b, pick(0xffffffff));
			u32(b, pick(20) ? cap : edgy(cap));
			u32(b, pick(12) ? len : edgy(len));
			bytes(b, cap);
			while (b->n % 4)
				u8(b, 0);
			if (pick(5) == 0) {
				uint32_t flags = pick(4);
				option(b, 2, &flags, 4);
				options_end(b);
			}
			end_block(b, at);
		} else if (kind < 17) { /* simple packet block */
			size_t at = begin_block(b, 3);
			u32(b, pick(12) ? len : edgy(len));
			bytes(b, cap);
			end_block(b, at);
		} else if (kind < 18) { /* obsolete packet block */
			size_t at = begin_block(b, 2);
			u16(b, interfaces ? pick((unsigned)interfaces) : 0);
			u16(b, pick(3));
			u32(b, 0x5a0);
			u32(b, pick(0xffffffff));
			u32(b, cap);
			u32(b, len);
			bytes(b, cap);
			end_block(b, at);
		} else { /* name resolution, statistics, custom, unknown */
			static const uint32_t types[] = { 4, 5, 0xbad, 0x40000bad, 0x80000001, 7, 8, 9, 10 };
			size_t at = begin_block(b, types[pick(sizeof(types) / sizeof(types[0]))]);
			bytes(b, pick(64));
			end_block(b, at);
		}
	}
}

static void make_pcapng(struct buf *b, int big)
{
	interfaces = 0;
	int sections = pick(6) ? 1 : 2 + (int)pick(2);
	for (int s = 0; s < sections; s++) {
		make_shb(b);
		interfaces = 0;
		for (int k = (int)(pick(6) ? 1 : pick(3)); k > 0; k--)
			make_idb(b);
		make_packet_blocks(b, big && s == sections - 1);
		if (pick(8) == 0)
			make_idb(b), make_packet_blocks(b, 0);
	}
}

static void mutate(struct buf *b)
{
	if (b->n == 0)
		return;
	switch (pick(7)) {
	case 0: /* change bytes */
		for (int k = 1 + (int)pick(6); k > 0; k--)
			b->d[pick((unsigned)b->n)] = (unsigned char)pick(256);
		break;
	case 1: /* truncate */
		b->n = pick((unsigned)b->n);
		break;
	case 2: { /* move a block length (pcapng) or a record length (pcap) at a 4-byte boundary */
		size_t at = (pick((unsigned)b->n) & ~3u);
		if (at + 4 <= b->n) {
			static const int deltas[] = { -8, -4, -1, 1, 4, 8, 12, 1 << 16, 1 << 24 };
			uint32_t v;
			memcpy(&v, b->d + at, 4);
			v += (uint32_t)deltas[pick(sizeof(deltas) / sizeof(deltas[0]))];
			memcpy(b->d + at, &v, 4);
		}
		break;
	}
	case 3: { /* cut a span out */
		size_t at = pick((unsigned)b->n), n = 1 + pick(64);
		if (at + n > b->n)
			n = b->n - at;
		memmove(b->d + at, b->d + at + n, b->n - at - n);
		b->n -= n;
		break;
	}
	case 4: { /* repeat a span */
		size_t at = pick((unsigned)b->n), n = 1 + pick(64);
		if (at + n > b->n)
			n = b->n - at;
		unsigned char *tmp = malloc(n);
		memcpy(tmp, b->d + at, n);
		size_t tail = b->n - at;
		put(b, tmp, n); /* grows; then shift */
		memmove(b->d + at + n, b->d + at, tail);
		memcpy(b->d + at, tmp, n);
		free(tmp);
		break;
	}
	case 5: /* truncate near the 512 KiB edge of a big file */
		if (b->n > BIG_EDGE + 64)
			b->n = BIG_EDGE - 32 + pick(64);
		else
			b->n = b->n > 4 ? b->n - 1 - pick(4) : 0;
		break;
	default: /* a stray word anywhere */
		if (b->n >= 4) {
			uint32_t v = edgy(pick(256));
			memcpy(b->d + pick((unsigned)b->n - 3), &v, 4);
		}
		break;
	}
}

/* Makes file i: returns how it is to be read. */
static int make_file(unsigned long seed, long i, const char *path)
{
	struct buf b = { 0 };
	seed_file(seed, i);
	int big = pick(16) == 0;
	if (pick(2))
		make_pcap(&b, big);
	else
		make_pcapng(&b, big);
	int muts = pick(4) == 0 ? 0 : 1 + (int)pick(3);
	for (int k = 0; k < muts; k++)
		mutate(&b);
	int mode = (int)pick(6);
	FILE *f = fopen(path, "wb");
	if (f != NULL) {
		fwrite(b.d, 1, b.n, f);
		fclose(f);
	}
	free(b.d);
	return mode;
}

/* ---------------------------------------------------------------- driver */

static const char *our_lib, *self;
static char dir[4096];

/* Runs the reader over LIST on one library into OUT; returns 0, or -1 if killed after the time limit. */
static int run_reader(int ours, const char *list, const char *out, long files)
{
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		dup2(fd, 2);
		if (ours)
			setenv("LD_PRELOAD", our_lib, 1);
		else
			unsetenv("LD_PRELOAD");
		execl(self, self, "read", list, (char *)NULL);
		_exit(127);
	}
	long limit = FILE_SECONDS + files / 5;
	for (long waited = 0; waited < limit * 50; waited++) {
		int status;
		if (waitpid(pid, &status, WNOHANG) == pid)
			return 0;
		usleep(20000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

struct result {
	char *text; /* output of one file, NULL if the reader never finished it */
};

/* Splits a reader's output into per-file texts (indexes first..first+n-1). */
static void split(const char *out, long first, long n, struct result *r)
{
	for (long k = 0; k < n; k++)
		r[k].text = NULL;
	FILE *f = fopen(out, "r");
	if (f == NULL)
		return;
	char *line = NULL;
	size_t cap = 0;
	long cur = -1;
	char *acc = NULL;
	size_t accn = 0;
	FILE *mem = NULL;
	while (getline(&line, &cap, f) > 0) {
		long idx;
		if (sscanf(line, "FILE %ld", &idx) == 1) {
			cur = idx;
			mem = open_memstream(&acc, &accn);
			continue;
		}
		if (sscanf(line, "END %ld", &idx) == 1 && mem != NULL) {
			fclose(mem);
			mem = NULL;
			if (idx >= first && idx < first + n)
				r[idx - first].text = acc;
			else
				free(acc);
			acc = NULL;
			cur = -1;
			continue;
		}
		if (mem != NULL)
			fputs(line, mem);
	}
	if (mem != NULL) {
		fclose(mem);
		free(acc);
	}
	(void)cur;
	free(line);
	fclose(f);
}

static long differ, sys_only, files_done, records_seen;
static int shown;

static void first_difference(const char *a, const char *b, char *what, size_t size)
{
	const char *pa = a, *pb = b;
	while (*pa && *pb) {
		const char *ea = strchr(pa, '\n'), *eb = strchr(pb, '\n');
		size_t la = ea ? (size_t)(ea - pa) : strlen(pa), lb = eb ? (size_t)(eb - pb) : strlen(pb);
		if (la != lb || memcmp(pa, pb, la) != 0) {
			snprintf(what, size, "libpcap \"%.*s\", ours \"%.*s\"", (int)(la > 150 ? 150 : la), pa,
			    (int)(lb > 150 ? 150 : lb), pb);
			return;
		}
		pa += la + (ea != NULL);
		pb += lb + (eb != NULL);
	}
	snprintf(what, size, "libpcap \"%.150s\", ours \"%.150s\"", *pa ? pa : "(end)", *pb ? pb : "(end)");
}

static long count_lines(const char *s)
{
	long n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Reads one file alone on one library: NULL when it returns, else how it failed. */
static const char *alone(int ours, long index, int mode, const char *path, char **text)
{
	char list[4200], out[4200];
	snprintf(list, sizeof(list), "%s/alone.list", dir);
	snprintf(out, sizeof(out), "%s/alone.%s", dir, ours ? "ours" : "sys");
	FILE *f = fopen(list, "w");
	fprintf(f, "%ld %d %s\n", index, mode, path);
	fclose(f);
	int rc = run_reader(ours, list, out, 0);
	struct result r;
	split(out, index, 1, &r);
	*text = r.text;
	if (rc < 0)
		return "hangs";
	return r.text == NULL ? "crashes" : NULL;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "read") == 0)
		return reader(argv[2]);
	if (argc >= 5 && strcmp(argv[1], "make") == 0) {
		for (long i = 0; i < atol(argv[3]); i++) {
			char path[4200];
			snprintf(path, sizeof(path), "%s/%ld.cap", argv[2], i);
			printf("%ld %d %s\n", i, make_file(strtoul(argv[4], NULL, 10), i, path), path);
		}
		return 0;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: %s OUR_LIB COUNT SEED | read LIST | make DIR COUNT SEED\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	our_lib = argv[1];
	long count = atol(argv[2]);
	unsigned long seed = strtoul(argv[3], NULL, 10);
	static char selfpath[4096];
	ssize_t sl = readlink("/proc/self/exe", selfpath, sizeof(selfpath) - 1);
	if (sl <= 0)
		return 2;
	selfpath[sl] = 0;
	self = selfpath;
	snprintf(dir, sizeof(dir), "%s/sf-fuzz.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	int show_max = getenv("FUZZ_SHOW") ? atoi(getenv("FUZZ_SHOW")) : 20;
	int *modes = malloc(sizeof(int) * BATCH);
	struct result *rs = malloc(sizeof(*rs) * BATCH), *ro = malloc(sizeof(*ro) * BATCH);
	for (long first = 0; first < count; first += BATCH) {
		long n = count - first < BATCH ? count - first : BATCH;
		char list[4200], path[4200], osys[4200], oours[4200];
		snprintf(list, sizeof(list), "%s/batch.list", dir);
		FILE *lf = fopen(list, "w");
		for (long k = 0; k < n; k++) {
			snprintf(path, sizeof(path), "%s/%ld.cap", dir, first + k);
			modes[k] = make_file(seed, first + k, path);
			fprintf(lf, "%ld %d %s\n", first + k, modes[k], path);
		}
		fclose(lf);
		snprintf(osys, sizeof(osys), "%s/out.sys", dir);
		snprintf(oours, sizeof(oours), "%s/out.ours", dir);
		/* Read the batch; where a reader stops early, note the file and go on after it. */
		long from = 0;
		for (long k = 0; k < n; k++)
			rs[k].text = ro[k].text = NULL;
		while (from < n) {
			lf = fopen(list, "w");
			for (long k = from; k < n; k++) {
				snprintf(path, sizeof(path), "%s/%ld.cap", dir, first + k);
				fprintf(lf, "%ld %d %s\n", first + k, modes[k], path);
			}
			fclose(lf);
			run_reader(0, list, osys, n - from);
			run_reader(1, list, oours, n - from);
			struct result *ts = malloc(sizeof(*ts) * (size_t)n), *to = malloc(sizeof(*to) * (size_t)n);
			split(osys, first + from, n - from, ts);
			split(oours, first + from, n - from, to);
			long stop = n;
			for (long k = from; k < n; k++) {
				rs[k] = ts[k - from];
				ro[k] = to[k - from];
				if ((rs[k].text == NULL || ro[k].text == NULL) && stop == n)
					stop = k;
			}
			free(ts);
			free(to);
			if (stop == n)
				break;
			/* File `stop` killed or hung a reader: read it alone on each library. */
			snprintf(path, sizeof(path), "%s/%ld.cap", dir, first + stop);
			char *ta, *tb;
			const char *fs = alone(0, first + stop, modes[stop], path, &ta);
			const char *fo = alone(1, first + stop, modes[stop], path, &tb);
			if (fo == NULL && fs != NULL) {
				sys_only++;
				printf("  libpcap alone %s on file %ld (mode %d; not held against ours)\n", fs, first + stop, modes[stop]);
				free(rs[stop].text);
				free(ro[stop].text);
				rs[stop].text = strdup("skip");
				ro[stop].text = strdup("skip");
			} else if (fo != NULL || fs != NULL) {
				free(rs[stop].text);
				free(ro[stop].text);
				rs[stop].text = strdup(fs ? fs : "returns");
				ro[stop].text = strdup(fo ? fo : "returns");
			} else {
				/* Both fine alone: the batch run failed for another reason; compare the lone runs. */
				free(rs[stop].text);
				free(ro[stop].text);
				rs[stop].text = ta ? ta : strdup("");
				ro[stop].text = tb ? tb : strdup("");
				ta = tb = NULL;
			}
			free(ta);
			free(tb);
			from = stop + 1;
		}
		for (long k = 0; k < n; k++) {
			files_done++;
			if (rs[k].text && ro[k].text && strcmp(rs[k].text, ro[k].text) == 0)
				records_seen += count_lines(rs[k].text);
			else {
				differ++;
				if (shown++ < show_max) {
					char what[400];
					first_difference(rs[k].text ? rs[k].text : "(none)", ro[k].text ? ro[k].text : "(none)", what,
					    sizeof(what));
					printf("  differs file %ld (seed %lu, mode %d): %s\n", first + k, seed, modes[k], what);
					if (getenv("FUZZ_KEEP")) {
						char keep[4300];
						snprintf(keep, sizeof(keep), "%s/sf-fuzz-%lu-%ld.cap", getenv("FUZZ_KEEP"), seed, first + k);
						snprintf(path, sizeof(path), "%s/%ld.cap", dir, first + k);
						rename(path, keep);
					}
				}
			}
			free(rs[k].text);
			free(ro[k].text);
			snprintf(path, sizeof(path), "%s/%ld.cap", dir, first + k);
			unlink(path);
		}
	}
	char cmd[4300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	printf("fuzz-savefiles-seed-%lu: %ld files read on both libraries, %ld lines of output equal; libpcap alone crashed or hung on %ld\n",
	    seed, files_done, records_seen, sys_only);
	printf("%s fuzz-savefiles-seed-%lu%s%ld of %ld files differ\n", differ ? "FAIL" : "PASS", seed, differ ? ": " : " ",
	    differ, count);
	return differ != 0;
}
