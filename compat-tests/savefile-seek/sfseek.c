/*
 * sfseek: a program that moves a savefile's FILE * between reads, as tools that cut a capture by
 * time or go back to a packet do. It prints every packet it reads (time stamp, lengths, a checksum
 * of the bytes) and every position ftell reports, so that its output on the system libpcap and on
 * ours can be compared. Usage: sfseek MODE FILE, MODE one of
 *   back     note ftell before each record, read to the end, then go back to records read earlier
 *            (fseeko, fsetpos) and read on, with pcap_next_ex, pcap_dispatch and pcap_loop in turn
 *   forward  note every record's offset on one handle, then jump forward to them on another
 *   rewind   read some, rewind, read the file header through the FILE * itself, read everything again
 *   late     read half with pcap_loop before asking for the FILE *, then ftell, seek back and read on
 *   fopen    open with pcap_fopen_offline and move the program's own FILE *, never calling pcap_file
 *   odd      seek into the middle of records (a damaged position) and report what reading gives
 *   mixed    never asks for the FILE *: pcap_next_ex, pcap_next, pcap_dispatch and pcap_loop in turn, with
 *            pcap_bufsize and a filter set and removed between them (the reader's read-ahead must not show)
 * and sfseek gen FILE COUNT pcap|pcapng writes COUNT frames of varied sizes (larger than a read buffer).
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RECORDS 4096

static FILE *f;
static long offsets[MAX_RECORDS + 1];
static int records;

static uint32_t checksum(const u_char *d, uint32_t n)
{
	uint32_t h = 2166136261u;

	for (uint32_t i = 0; i < n; i++)
		h = (h ^ d[i]) * 16777619u;
	return h;
}

static void show(const char *how, const struct pcap_pkthdr *h, const u_char *d)
{
	printf("%s %ld.%06ld %u %u %08x", how, (long)h->ts.tv_sec, (long)h->ts.tv_usec, h->caplen, h->len,
	    checksum(d, h->caplen));
	if (f != NULL)
		printf(" at %ld", ftell(f));
	printf("\n");
}

static void handler(u_char *user, const struct pcap_pkthdr *h, const u_char *d)
{
	show((const char *)user, h, d);
}

/* One packet through pcap_next_ex; its status. */
static int next(pcap_t *p, const char *how)
{
	struct pcap_pkthdr *h;
	const u_char *d;
	int status = pcap_next_ex(p, &h, &d);

	if (status == 1)
		show(how, h, d);
	else if (status == -1)
		printf("%s error: %s\n", how, pcap_geterr(p));
	else
		printf("%s status %d\n", how, status);
	return status;
}

/* Up to n packets, alternating the three ways of reading. */
static void read_on(pcap_t *p, int n, int way)
{
	int status;

	switch (way % 3) {
	case 0:
		for (int i = 0; i < n; i++)
			if (next(p, "next_ex") != 1)
				break;
		break;
	case 1:
		status = pcap_dispatch(p, n, handler, (u_char *)"dispatch");
		printf("dispatch returned %d%s%s\n", status, status == -1 ? ": " : "", status == -1 ? pcap_geterr(p) : "");
		break;
	default:
		status = pcap_loop(p, n, handler, (u_char *)"loop");
		printf("loop returned %d%s%s\n", status, status == -1 ? ": " : "", status == -1 ? pcap_geterr(p) : "");
		break;
	}
}

/* Reads every record with pcap_next_ex, noting where each one starts. */
static void note_offsets(pcap_t *p)
{
	struct pcap_pkthdr *h;
	const u_char *d;

	records = 0;
	for (;;) {
		long at = ftell(f);
		int status = pcap_next_ex(p, &h, &d);
		if (status != 1) {
			printf("first pass ends with %d at %ld\n", status, ftell(f));
			break;
		}
		if (records < MAX_RECORDS)
			offsets[records++] = at;
		show("first", h, d);
	}
}

static void seek(long offset, const char *why)
{
	int r = fseek(f, offset, SEEK_SET);
	printf("seek to %ld (%s): %d, ftell %ld\n", offset, why, r, ftell(f));
}

/* COUNT frames of 60 to 1513 bytes with time stamps 1 ms apart, as pcap or pcapng (enhanced packet blocks). */
static int generate(const char *path, long count, int ng)
{
	FILE *out = fopen(path, "wb");
	unsigned char frame[1516];
	uint32_t pcap_header[6] = { 0xa1b2c3d4, 2 | (4 << 16), 0, 0, 65535, 1 };
	uint32_t shb[7] = { 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0xffffffff, 0xffffffff, 28 };
	uint32_t idb[5] = { 1, 20, 1, 65535, 20 };

	if (out == NULL)
		return 1;
	if (ng) {
		fwrite(shb, sizeof shb, 1, out);
		fwrite(idb, sizeof idb, 1, out);
	} else {
		fwrite(pcap_header, sizeof pcap_header, 1, out);
	}
	for (long i = 0; i < count; i++) {
		uint32_t size = 60 + (uint32_t)(i * 7919 % 1454), padded = (size + 3) & ~3u;
		uint64_t us = (uint64_t)1700000000 * 1000000 + (uint64_t)i * 1000;
		for (uint32_t j = 0; j < padded; j++)
			frame[j] = j < size ? (unsigned char)(i + j) : 0;
		if (ng) {
			uint32_t block = 32 + padded;
			uint32_t epb[7] = { 6, block, 0, (uint32_t)(us >> 32), (uint32_t)us, size, size };
			fwrite(epb, sizeof epb, 1, out);
			fwrite(frame, padded, 1, out);
			fwrite(&block, 4, 1, out);
		} else {
			uint32_t record[4] = { (uint32_t)(us / 1000000), (uint32_t)(us % 1000000), size, size };
			fwrite(record, sizeof record, 1, out);
			fwrite(frame, size, 1, out);
		}
	}
	return fclose(out) != 0;
}

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	const char *mode, *path;
	pcap_t *p;

	if (argc == 5 && strcmp(argv[1], "gen") == 0)
		return generate(argv[2], atol(argv[3]), strcmp(argv[4], "pcapng") == 0);
	if (argc != 3)
		return 2;
	mode = argv[1];
	path = argv[2];
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	if (strcmp(mode, "fopen") == 0) {
		FILE *own = fopen(path, "rb");
		if (own == NULL)
			return 1;
		p = pcap_fopen_offline(own, errbuf);
		if (p == NULL) {
			printf("open: %s\n", errbuf);
			return 0;
		}
		f = own;
		note_offsets(p);
		for (int i = records - 1, way = 0; i >= 0; i -= 1 + i / 3, way++) {
			seek(offsets[i], "back");
			read_on(p, 2, way);
		}
		pcap_close(p);
		return 0;
	}
	p = pcap_open_offline(path, errbuf);
	if (p == NULL) {
		printf("open: %s\n", errbuf);
		return 0;
	}
	if (strcmp(mode, "late") == 0) {
		/* Count the records on a handle of its own, then read half before the FILE * is asked for. */
		pcap_t *q = pcap_open_offline(path, errbuf);
		struct pcap_pkthdr *h;
		const u_char *d;
		int n = 0;
		while (pcap_next_ex(q, &h, &d) == 1)
			n++;
		pcap_close(q);
		printf("loop returned %d\n", pcap_loop(p, n / 2, handler, (u_char *)"loop"));
		f = pcap_file(p);
		long middle = ftell(f);
		printf("after half: ftell %ld\n", middle);
		read_on(p, 3, 0);
		seek(middle, "back to the middle");
		read_on(p, n, 1);
		seek(middle, "back to the middle again");
		read_on(p, -1, 2);
		pcap_close(p);
		return 0;
	}
	if (strcmp(mode, "mixed") == 0) {
		struct bpf_program odd_length, all;
		int have_filter = pcap_compile(p, &odd_length, "len & 1 == 1", 1, PCAP_NETMASK_UNKNOWN) == 0 &&
		    pcap_compile(p, &all, "", 1, PCAP_NETMASK_UNKNOWN) == 0;
		for (int way = 0; way < 40; way++) {
			if (way % 3 == 2) {
				struct pcap_pkthdr h;
				const u_char *d = pcap_next(p, &h);
				if (d != NULL)
					show("next", &h, d);
				else
					printf("next: none\n");
			}
			read_on(p, 1 + way % 5, way);
			printf("bufsize %d\n", pcap_bufsize(p));
			if (have_filter && way % 7 == 3)
				printf("setfilter %d\n", pcap_setfilter(p, way % 2 ? &odd_length : &all));
		}
		read_on(p, -1, 2);
		pcap_close(p);
		return 0;
	}
	f = pcap_file(p);
	printf("start: ftell %ld\n", ftell(f));
	if (strcmp(mode, "back") == 0) {
		note_offsets(p);
		/* From the last record back to the first, in growing steps, reading on a little each time. */
		for (int i = records - 1, way = 0; i >= 0; i -= 1 + i / 4, way++) {
			if (way % 2 == 0) {
				seek(offsets[i], "back");
			} else {
				/* fgetpos/fsetpos: take the position at the record, move away, come back. */
				fpos_t pos;
				fseek(f, offsets[i], SEEK_SET);
				fgetpos(f, &pos);
				fseek(f, 0, SEEK_END);
				printf("fsetpos to record %d: %d, ftell %ld\n", i, fsetpos(f, &pos), ftell(f));
			}
			read_on(p, 3, way);
		}
		/* At the end of the file again, then back once more: the end is not sticky. */
		if (records > 0) {
			read_on(p, -1, 2);
			next(p, "at end");
			seek(offsets[0], "first record after the end");
			read_on(p, -1, 0);
		}
	} else if (strcmp(mode, "forward") == 0) {
		note_offsets(p);
		pcap_close(p);
		p = pcap_open_offline(path, errbuf);
		if (p == NULL)
			return 1;
		f = pcap_file(p);
		int way = 0;
		for (int i = 0; i < records; i += 2 + i / 2, way++) {
			seek(offsets[i], "forward");
			read_on(p, 1 + way % 3, way);
		}
	} else if (strcmp(mode, "rewind") == 0) {
		read_on(p, 5, 0);
		read_on(p, 5, 1);
		long first = -1;
		rewind(f);
		/* The file header as the program sees it: the bytes before the first record. */
		pcap_t *q = pcap_open_offline(path, errbuf);
		if (q != NULL) {
			FILE *g = pcap_file(q);
			struct pcap_pkthdr *h;
			const u_char *d;
			long at = ftell(g);
			if (pcap_next_ex(q, &h, &d) == 1)
				first = at;
			pcap_close(q);
		}
		printf("rewound: ftell %ld, header %ld bytes\n", ftell(f), first);
		if (first > 0) {
			unsigned char *header = malloc(first);
			printf("read the header: %zu\n", fread(header, 1, first, f));
			free(header);
		}
		read_on(p, -1, 2);
	} else if (strcmp(mode, "odd") == 0) {
		note_offsets(p);
		for (int i = 0; i < records && i < 8; i++) {
			seek(offsets[i] + 3 + i, "inside a record");
			next(p, "odd");
			seek(offsets[records - 1 - i], "a record");
			next(p, "sound");
		}
	}
	pcap_close(p);
	return 0;
}
