/*
 * sfcorpus DIR: writes savefiles, sound and broken, that exercise libpcap's reader checks (pcap and
 * pcapng, both byte orders, bad magic, versions, snapshot lengths, truncated headers and records,
 * bogus lengths, pcapng block and option refusals), and seeded random mutations of the sound ones.
 * compat-tests/suites/21-savefile.sh reads each
 * through the system libpcap and through ours and compares what a program sees.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char buf[1 << 20];
static size_t len;
static int be; /* write multi-byte fields big-endian */

static void u8(unsigned v) { buf[len++] = (unsigned char)v; }
static void u16(unsigned v) { if (be) { u8(v >> 8); u8(v); } else { u8(v); u8(v >> 8); } }
static void u32(uint32_t v) { if (be) { u16(v >> 16); u16(v & 0xffff); } else { u16(v & 0xffff); u16(v >> 16); } }
static void u64(uint64_t v) { if (be) { u32(v >> 32); u32((uint32_t)v); } else { u32((uint32_t)v); u32(v >> 32); } }
static void bytes(unsigned n) { for (unsigned i = 0; i < n; i++) u8(i * 7 + 3); }
static void zeros(unsigned n) { for (unsigned i = 0; i < n; i++) u8(0); }

static void put32at(size_t at, uint32_t v)
{
	size_t save = len;
	len = at;
	u32(v);
	len = save;
}

static const char *dir;

static void save(const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	len = 0;
	be = 0;
}

/* classic pcap */
static void fhdr(uint32_t magic, unsigned major, unsigned minor, uint32_t snap, uint32_t lt)
{
	u32(magic); u16(major); u16(minor); u32(0); u32(0); u32(snap); u32(lt);
}
static void rec(uint32_t sec, uint32_t frac, uint32_t cap, uint32_t wire, unsigned present)
{
	u32(sec); u32(frac); u32(cap); u32(wire); bytes(present);
}

/* pcapng: a block is opened, filled, then closed (padding, trailer, length patched) */
static size_t block_start;
static void open_block(uint32_t type) { block_start = len; u32(type); u32(0); }
static void close_block(void)
{
	while (len % 4) u8(0);
	uint32_t n = (uint32_t)(len - block_start + 4);
	put32at(block_start + 4, n);
	u32(n);
}
static void shb(unsigned major, unsigned minor)
{
	open_block(0x0A0D0D0A); u32(0x1A2B3C4D); u16(major); u16(minor); u64(UINT64_MAX); close_block();
}
static void opt(unsigned code, unsigned n, const unsigned char *v)
{
	u16(code); u16(n);
	for (unsigned i = 0; i < n; i++) u8(v[i]);
	while (len % 4) u8(0);
}
static void idb_open(unsigned lt, uint32_t snap) { open_block(1); u16(lt); u16(0); u32(snap); }
static void idb(unsigned lt, uint32_t snap) { idb_open(lt, snap); close_block(); }
static void epb(uint32_t ifid, uint64_t t, uint32_t cap, uint32_t wire, unsigned present)
{
	open_block(6); u32(ifid); u32(t >> 32); u32((uint32_t)t); u32(cap); u32(wire); bytes(present); close_block();
}

/*
 * A Linux USB record (DLT_USB_LINUX_MMAPPED, or DLT_USB_LINUX reading the first 48 bytes as its header): 64-byte header, isochronous descriptors
 * (offset, length pairs), data. The record length is computed from the URB length plus len_delta, as
 * old libpcaps did, which libpcap fixes up for incoming isochronous completions.
 */
static void usb_record(unsigned event, unsigned transfer, unsigned endpoint, unsigned data_flag,
    unsigned ndesc, const uint32_t *descs, uint32_t urb_len, uint32_t data_len, int len_delta, unsigned cut)
{
	uint32_t cap = 64 + 16 * ndesc + data_len - cut;
	u32(1); u32(2); u32(cap); u32(64 + 16 * ndesc + urb_len + len_delta);
	size_t start = len;
	u64(1); u8(event); u8(transfer); u8(endpoint); u8(1); u16(1); u8(0); u8(data_flag);
	u64(0); u32(0); u32(0); u32(urb_len); u32(data_len); u64(0);
	u32(0); u32(0); u32(0); u32(ndesc);
	for (unsigned i = 0; i < ndesc; i++) {
		u32(0); u32(descs[2 * i]); u32(descs[2 * i + 1]); u32(0);
	}
	bytes(data_len);
	len = start + cap;
}

static void usb_file(int big_endian, uint32_t linktype, const char *name)
{
	static const uint32_t one[] = { 0, 40 }, two[] = { 0, 10, 50, 20 }, three[] = { 0, 0, 5, 0, 7, 3 },
	    three_more[] = { 0, 10, 50, 20, 90, 30 }, wraps[] = { 0xfffffff0u, 0x20 };
	be = big_endian;
	fhdr(0xa1b2c3d4, 2, 4, 65535, linktype);
	usb_record('C', 0, 0x81, 0, 1, one, 100, 40, 0, 0);
	usb_record('C', 0, 0x81, 0, 2, two, 100, 0, 0, 0);
	usb_record('C', 0, 0x81, 0, 2, two, 100, 0, 1, 0);
	usb_record('S', 0, 0x81, 0, 1, one, 100, 40, 0, 0);
	usb_record('C', 0, 0x01, 0, 1, one, 100, 40, 0, 0);
	usb_record('C', 0, 0x81, 1, 1, one, 100, 40, 0, 0);
	usb_record('C', 1, 0x81, 0, 1, one, 100, 40, 0, 0);
	usb_record('C', 0, 0x81, 0, 3, three, 100, 0, 0, 0);
	usb_record('C', 0, 0x81, 0, 3, three_more, 100, 0, 0, 22);
	usb_record('C', 0, 0x81, 0, 0, NULL, 10, 0, 0, 0);
	usb_record('C', 0, 0x81, 0, 1, wraps, 100, 40, 0, 0);
	usb_record('C', 0, 0x81, 0, 1, one, 100, 40, 0, 40);
	save(name);
}

/* DLT_PFLOG records whose uid/pid fields the reader swaps as far as the header's length, caplen and len reach. */
static void pflog_file(void)
{
	static const unsigned lengths[] = { 0, 47, 48, 52, 56, 59, 60, 61 }, cuts[] = { 0, 1, 47, 48, 52, 56, 59, 60 };
	be = 1;
	fhdr(0xa1b2c3d4, 2, 4, 65535, 117);
	for (unsigned i = 0; i < 8; i++) {
		for (unsigned variant = 0; variant < 3; variant++) {
			/* variant 0: header length field; 1: captured length; 2: original length */
			unsigned cap = variant == 1 ? cuts[i] : 64, wire = variant == 2 ? 47 + cuts[i] / 4 : 64;
			u32(1); u32(2); u32(cap); u32(wire);
			size_t start = len;
			u8(variant == 0 ? lengths[i] : 61); u8(2); u8(0); u8(0); zeros(32);
			u32(1); u32(2); u32(0x11223344); u32(0x55667788); u32(0x99aabbcc); u32(0xddeeff00); zeros(4);
			len = start + cap;
		}
	}
	save("pcap-be-pflog");
}

/* Mutations of sound files, from a fixed seed: flipped bytes, cut files, 32-bit fields set to edge values. */
static uint32_t seed = 20231;
static uint32_t next_random(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

static void mutate(const char *base, int count)
{
	static unsigned char original[1 << 16];
	static const uint32_t edges[] = { 0, 1, 3, 7, 11, 12, 0x7fffffff, 0x80000000u, 0xffffffffu, 0xfffffffcu, 262144, 262145, 65535 };
	char path[4096];
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "%s/%s", dir, base);
	f = fopen(path, "rb");
	if (f == NULL)
		exit(1);
	n = fread(original, 1, sizeof original, f);
	fclose(f);
	for (int i = 0; i < count; i++) {
		char name[256];
		memcpy(buf, original, n);
		len = n;
		switch (next_random() % 3) {
		case 0:
			for (uint32_t k = 1 + next_random() % 4; k > 0; k--)
				buf[next_random() % n] ^= (unsigned char)(1 + next_random() % 255);
			break;
		case 1:
			len = next_random() % n;
			break;
		default:
			put32at((next_random() % (n / 4)) * 4, edges[next_random() % (sizeof edges / sizeof edges[0])]);
			break;
		}
		snprintf(name, sizeof name, "fuzz-%s-%02d", base, i);
		save(name);
	}
}

int main(int argc, char **argv)
{
	static const unsigned char res9[] = { 9 }, res2_20[] = { 0x94 }, res3[] = { 3 }, res20[] = { 20 },
	    res64[] = { 0xc0 }, two[] = { 6, 6 }, one[] = { 1 };
	unsigned char off[8];

	if (argc != 2)
		return 2;
	dir = argv[1];

	/* classic pcap */
	fhdr(0xa1b2c3d4, 2, 4, 100, 1); rec(1, 2, 60, 60, 60); rec(3, 4, 150, 200, 150); save("pcap-caplen-over-snaplen");
	fhdr(0xa1b2c3d4, 2, 4, 100, 1); rec(1, 2, 60, 60, 60); rec(3, 4, 300000, 300000, 0); save("pcap-caplen-over-256k");
	fhdr(0xa1b2c3d4, 2, 4, 1000000, 1); rec(1, 2, 60, 60, 60); rec(3, 4, 300000, 300000, 0); save("pcap-caplen-over-max");
	fhdr(0xa1b2c3d4, 2, 4, 1000000, 231); rec(1, 2, 300000, 300000, 300000); save("pcap-dbus-big-record");
	fhdr(0xa1b2c3d4, 2, 4, 100, 1); rec(3, 4, 150, 200, 50); save("pcap-cut-within-snaplen");
	fhdr(0xa1b2c3d4, 2, 4, 100, 1); rec(3, 4, 150, 200, 120); save("pcap-cut-beyond-snaplen");
	fhdr(0xa1b2c3d4, 2, 4, 100, 1); rec(1, 2, 60, 60, 60); u32(1); u32(2); u16(3); save("pcap-cut-record-header");
	be = 1; fhdr(0xa1b23c4d, 2, 4, 100, 1); rec(0x80000000u, 0xffffffffu, 0, 0, 0); rec(5, 999999999, 10, 10, 10); save("pcap-be-nano-extremes");
	fhdr(0xa1b2c3d4, 2, 4, 100, 1); rec(0x80000000u, 0xffffffffu, 0, 0, 0); rec(5, 999999, 10, 10, 10); save("pcap-le-extremes");
	fhdr(0xa1b2c3d4, 2, 3, 100, 1); rec(1, 2, 60, 50, 60); rec(1, 2, 50, 60, 50); rec(1, 2, 0, 0, 0); save("pcap-version-2.3");
	fhdr(0xa1b2c3d4, 2, 2, 100, 1); rec(1, 2, 100, 20, 20); save("pcap-version-2.2");
	fhdr(0xa1b2c3d4, 543, 0, 100, 1); rec(1, 2, 100, 20, 20); save("pcap-version-543.0");
	fhdr(0xa1b2cd34, 2, 4, 100, 1); rec(1, 2, 10, 10, 0); zeros(8); bytes(10); save("pcap-kuznetzov");
	fhdr(0xa1b2c3d4, 1, 0, 100, 1); save("pcap-archaic");
	fhdr(0xa1b2c3d4, 2, 5, 100, 1); save("pcap-version-2.5");
	fhdr(0xa1b2c3d4, 543, 1, 100, 1); save("pcap-version-543.1");
	fhdr(0xa1b2c3d4, 2, 4, 0, 1); rec(1, 2, 60, 60, 60); save("pcap-snaplen-0");
	fhdr(0xa1b2c3d4, 2, 4, 0x80000000u, 1); save("pcap-snaplen-over-int-max");
	fhdr(0xa1b2c3d4, 2, 4, 0, 249); save("pcap-usbpcap-snaplen-0");
	fhdr(0xa1b2c3d4, 2, 4, 65535, 0x14000001u); rec(1, 2, 60, 60, 60); save("pcap-fcs-bits");
	fhdr(0xa1b2c3d4, 2, 4, 65535, 101); save("pcap-linktype-raw");
	fhdr(0xa1b2c3d4, 2, 4, 65535, 1); rec(1, 2, 0, 0, 0); rec(1, 2, 0, 1500, 0); save("pcap-zero-length-records");
	fhdr(0xa1b2c3d4, 2, 4, 65535, 1); len = 6; save("pcap-cut-file-header");
	u8('a'); u8('b'); u8('c'); save("pcap-three-bytes");
	save("pcap-empty");
	u32(0x64636261); u32(0); save("pcap-bad-magic");
	be = 1; fhdr(0xa1b2c3d4, 2, 4, 65535, 239); rec(1, 2, 12, 12, 0);
	u8(2); u8(0); u16(0); u16(8); u16(1); u32(0x01020304); save("pcap-be-nflog");

	/* pcapng */
	shb(1, 0);
	idb_open(1, 65535); opt(9, 1, res9); memset(off, 0, 8); off[0] = 100; opt(14, 8, off); opt(0, 0, NULL); close_block();
	epb(0, 1500000000123456789ull, 60, 60, 60);
	open_block(0x99); u32(0x01020304); close_block();
	open_block(3); u32(60); bytes(60); close_block();
	open_block(2); u16(0); u16(0); u32(0); u32(5); u32(60); u32(60); bytes(60); close_block();
	shb(1, 0); idb_open(1, 65535); opt(9, 1, res2_20); close_block(); epb(0, (1700000000ull << 20) + (1 << 19), 60, 60, 60);
	save("ng-sections-le");
	be = 1; shb(1, 0); idb_open(1, 65535); opt(9, 1, res3); memset(off, 0xff, 8); off[7] = 0xfb; opt(14, 8, off); close_block();
	epb(0, 1500000000123ull, 60, 60, 60); open_block(3); u32(60); bytes(60); close_block(); save("ng-section-be");
	shb(1, 0); idb(1, 65535); epb(0, 1, 60, 60, 60); idb(105, 65535); epb(1, 1, 60, 60, 60); save("ng-different-linktype");
	shb(1, 0); idb(100, 65535); epb(0, 1, 60, 60, 60); idb(100, 65535); epb(1, 1, 60, 60, 60); save("ng-linktype-100-twice");
	shb(1, 0); idb(1, 65535); epb(0, 1, 60, 60, 60); idb(1, 100); save("ng-different-snaplen");
	shb(1, 0); epb(0, 1, 60, 60, 60); save("ng-packet-before-idb");
	shb(1, 0); open_block(0x99); close_block(); save("ng-no-idb");
	shb(1, 0); idb(1, 65535); u32(6); u32(8); save("ng-block-length-8");
	shb(1, 0); idb(1, 65535); u32(6); u32(14); zeros(6); save("ng-block-length-odd");
	shb(1, 0); idb(1, 65535); u32(6); u32(0xfffffffcu); zeros(100); save("ng-block-length-huge");
	shb(1, 0); idb(1, 65535); u32(6); u32(400000); zeros(100); save("ng-block-cut");
	shb(1, 0); idb(1, 65535); epb(0, 1, 4, 4, 4); put32at(len - 4, 99); save("ng-trailer-mismatch");
	shb(1, 0); idb(1, 65535); epb(0, 1, 60, 60, 60); epb(0, 1, 60, 60, 60); len -= 42; save("ng-cut-in-block");
	shb(1, 0); idb(1, 65535); epb(0, 1, 60, 60, 60); u8(6); u8(0); u8(0); save("ng-cut-block-header");
	shb(1, 0); idb(1, 65535); epb(3, 1, 60, 60, 60); save("ng-unknown-interface");
	shb(1, 0); idb(1, 50); epb(0, 1, 60, 60, 60); save("ng-caplen-over-snaplen");
	shb(1, 0); idb(1, 65535); epb(0, 1, 200, 60, 60); save("ng-caplen-beyond-block");
	shb(1, 0); idb(1, 65535); epb(0, 1, 60, 60, 60); be = 1; shb(1, 0); idb(1, 65535); save("ng-byte-order-change");
	u32(0x0A0D0D0A); u32(20); u32(0x1A2B3C4D); zeros(20); save("ng-shb-too-short");
	u32(0x0A0D0D0A); u32(2000000); u32(0x1A2B3C4D); zeros(20); save("ng-shb-too-long");
	shb(2, 0); save("ng-version-2.0");
	shb(1, 2); idb(1, 65535); epb(0, 5, 60, 60, 60); save("ng-version-1.2");
	shb(1, 0); len = 20; save("ng-shb-cut");
	u32(0x0A0D0D0A); u8('h'); u8('e'); u8('l'); u8('l'); u8('o'); save("ng-text");
	shb(1, 0); idb_open(1, 65535); opt(9, 2, two); close_block(); save("ng-tsresol-length");
	shb(1, 0); idb_open(1, 65535); opt(9, 1, res3); opt(9, 1, res3); close_block(); save("ng-tsresol-twice");
	shb(1, 0); idb_open(1, 65535); opt(9, 1, res20); close_block(); save("ng-tsresol-10-20");
	shb(1, 0); idb_open(1, 65535); opt(9, 1, res64); close_block(); save("ng-tsresol-2-64");
	shb(1, 0); idb_open(1, 65535); opt(14, 1, one); close_block(); save("ng-tsoffset-length");
	shb(1, 0); idb_open(1, 65535); opt(0, 1, one); close_block(); save("ng-endofopt-length");
	shb(1, 0); idb_open(1, 65535); u16(2); u16(40); close_block(); save("ng-option-cut");
	shb(1, 0); open_block(1); u16(1); close_block(); save("ng-idb-short");
	shb(1, 0); idb(1, 0); epb(0, 7, 0, 0, 0); save("ng-zero-length-and-snaplen-0");

	usb_file(0, 220, "pcap-usb-mmapped-lengths");
	usb_file(1, 220, "pcap-be-usb-mmapped-lengths");
	usb_file(1, 189, "pcap-be-usb-linux");
	pflog_file();

	mutate("pcap-le-extremes", 30);
	mutate("pcap-be-nano-extremes", 30);
	mutate("pcap-version-2.3", 20);
	mutate("ng-sections-le", 40);
	mutate("ng-section-be", 30);
	return 0;
}
