/*
 * The per-dumper entry points. A pcap_dumper_t * is the stdio FILE * the savefile is written to
 * (as in libpcap), so these only touch that FILE *: pcap_dump runs once per packet, and
 * pcap_dump_flush is called from signal handlers (tcpdump's SIGUSR2).
 * The opens, which write the file header, are in C# (src/Pcap.Native/Abi/pcap_dump_open.cs);
 * pcap_dump_close also frees the buffer an open gave the stream (savefile-buffer.c).
 */
#define _GNU_SOURCE /* fwrite_unlocked */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>
#include "savefile-buffer.h"

/* A record header as stored in a pcap savefile: 32-bit seconds and (micro/nano)seconds. */
struct savefile_record_header {
	int32_t ts_sec;
	int32_t ts_frac;
	uint32_t caplen;
	uint32_t len;
};

/*
 * One record into the stream. libpcap makes two fwrite calls (four lock operations here, where the
 * .NET runtime's threads make glibc lock every stream); this takes the stream's lock once and,
 * when the record fits in the buffer, copies it there directly, as glibc's putc_unlocked does.
 * Line-buffered, unbuffered and not-yet-buffered streams keep no room (write_ptr == write_end)
 * and go to fwrite.
 */
void pcap_dump(u_char *user, const struct pcap_pkthdr *h, const u_char *sp)
{
	FILE *f = (FILE *)user;
	struct savefile_record_header rec;

	/* Truncated to 32 bits like libpcap: the pcap format ends in 2038. */
	rec.ts_sec = (int32_t)h->ts.tv_sec;
	rec.ts_frac = (int32_t)h->ts.tv_usec;
	rec.caplen = h->caplen;
	rec.len = h->len;
	flockfile(f);
	if ((size_t)(f->_IO_write_end - f->_IO_write_ptr) >= sizeof rec + h->caplen) {
		memcpy(f->_IO_write_ptr, &rec, sizeof rec);
		memcpy(f->_IO_write_ptr + sizeof rec, sp, h->caplen);
		f->_IO_write_ptr += sizeof rec + h->caplen;
	} else {
		/* libpcap ignores write errors here; they surface in pcap_dump_flush and ferror(). */
		(void)fwrite_unlocked(&rec, sizeof rec, 1, f);
		(void)fwrite_unlocked(sp, h->caplen, 1, f);
	}
	funlockfile(f);
}

int pcap_dump_flush(pcap_dumper_t *p)
{
	return fflush((FILE *)p) == EOF ? -1 : 0;
}

FILE *pcap_dump_file(pcap_dumper_t *p)
{
	return (FILE *)p;
}

long pcap_dump_ftell(pcap_dumper_t *p)
{
	return ftell((FILE *)p);
}

int64_t pcap_dump_ftell64(pcap_dumper_t *p)
{
	return ftello((FILE *)p);
}

void pcap_dump_close(pcap_dumper_t *p)
{
	void *buffer = pcap_shim_savefile_buffer_take((FILE *)p);

	/* libpcap does not report fclose's result either. */
	(void)fclose((FILE *)p);
	free(buffer);
}
