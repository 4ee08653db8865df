/*
 * make-capture OUTPUT: writes the capture the samples' smoke run reads: 20 Ethernet frames at
 * nanosecond precision, 10 UDP (port 53), 6 TCP (port 80) and 4 ARP, from 10.0.0.1 to 10.0.0.2.
 * Written byte by byte, without libpcap.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void put32(FILE *f, uint32_t v) { fwrite(&v, 4, 1, f); }
static void put16(FILE *f, uint16_t v) { fwrite(&v, 2, 1, f); }

static size_t frame(unsigned char *b, int i)
{
	static const unsigned char dst[6] = { 2, 0, 0, 0, 0, 0x0b }, src[6] = { 2, 0, 0, 0, 0, 0x0a };
	size_t n = 0;
	int kind = i < 10 ? 0 : i < 16 ? 1 : 2; /* 0 udp, 1 tcp, 2 arp */

	memcpy(b, dst, 6);
	memcpy(b + 6, src, 6);
	if (kind == 2) {
		static const unsigned char arp[28] = { 0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 0x0a,
			10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2 };
		b[12] = 0x08; b[13] = 0x06;
		memcpy(b + 14, arp, 28);
		return 42;
	}
	b[12] = 0x08; b[13] = 0x00;
	n = 14;
	{
		unsigned l4 = kind == 0 ? 8 + 16 : 20;
		unsigned char ip[20] = { 0x45, 0, 0, (unsigned char)(20 + l4), 0, (unsigned char)i, 0x40, 0, 64,
			(unsigned char)(kind == 0 ? 17 : 6), 0, 0, 10, 0, 0, 1, 10, 0, 0, 2 };
		memcpy(b + n, ip, 20);
		n += 20;
		if (kind == 0) {
			unsigned char udp[8] = { 0x9c, (unsigned char)(0x40 + i), 0, 53, 0, 24, 0, 0 };
			memcpy(b + n, udp, 8);
			n += 8;
			memcpy(b + n, "smoke test query", 16);
			n += 16;
		} else {
			unsigned char tcp[20] = { 0xc3, (unsigned char)(0x50 + i), 0, 80, 0, 0, 0, (unsigned char)i,
				0, 0, 0, 0, 0x50, 0x02, 2, 0, 0, 0, 0, 0 };
			memcpy(b + n, tcp, 20);
			n += 20;
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	unsigned char b[128];
	FILE *f;

	if (argc != 2 || (f = fopen(argv[1], "wb")) == NULL) {
		fprintf(stderr, "usage: make-capture OUTPUT\n");
		return 2;
	}
	put32(f, 0xa1b23c4d);
	put16(f, 2);
	put16(f, 4);
	put32(f, 0);
	put32(f, 0);
	put32(f, 262144);
	put32(f, 1);
	for (int i = 0; i < 20; i++) {
		size_t n = frame(b, i);
		put32(f, 1700000000 + i / 4);
		put32(f, 123456789u + (uint32_t)i);
		put32(f, (uint32_t)n);
		put32(f, (uint32_t)n);
		fwrite(b, 1, n, f);
	}
	return fclose(f) == 0 ? 0 : 1;
}
