/*
 * Savefiles that pcap_dump_open and pcap_dump_open_append open by name write through a 64 KiB
 * stdio buffer instead of glibc's default of st_blksize (4 KiB on most file systems): a capture
 * at full rate makes a sixteenth of the write calls. The bytes are the same; they reach the file
 * in larger writes, as they do from libpcap on file systems with larger blocks (ZFS, NFS), and
 * pcap_dump_flush (tcpdump -U) still writes at once. Standard output and the streams of
 * pcap_dump_fopen keep the buffering their owner chose.
 * pcap_dump_close frees the buffer after fclose. A FILE the program closes itself (fclose on
 * pcap_dump_file) leaves its buffer allocated until a stream opened later gets its address.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "savefile-buffer.h"

#define SAVEFILE_BUFFER_SIZE 65536
#define SAVEFILE_BUFFERS 64

static struct {
	FILE *f;
	void *buffer;
} buffers[SAVEFILE_BUFFERS];
static pthread_mutex_t buffers_lock = PTHREAD_MUTEX_INITIALIZER;

void pcap_shim_savefile_buffer(FILE *f)
{
	int i, slot = -1;
	void *buffer;

	pthread_mutex_lock(&buffers_lock);
	for (i = 0; i < SAVEFILE_BUFFERS; i++) {
		if (buffers[i].f == f) {
			/* The FILE that had this address was closed without pcap_dump_close. */
			free(buffers[i].buffer);
			buffers[i].f = NULL;
			buffers[i].buffer = NULL;
		}
		if (buffers[i].f == NULL && slot < 0)
			slot = i;
	}
	/* Without a free slot or the memory, the stream keeps glibc's buffer. */
	buffer = slot >= 0 ? malloc(SAVEFILE_BUFFER_SIZE) : NULL;
	if (buffer != NULL && setvbuf(f, buffer, _IOFBF, SAVEFILE_BUFFER_SIZE) == 0) {
		buffers[slot].f = f;
		buffers[slot].buffer = buffer;
	} else {
		free(buffer);
	}
	pthread_mutex_unlock(&buffers_lock);
}

void *pcap_shim_savefile_buffer_take(FILE *f)
{
	void *buffer = NULL;
	int i;

	pthread_mutex_lock(&buffers_lock);
	for (i = 0; i < SAVEFILE_BUFFERS; i++) {
		if (buffers[i].f == f) {
			buffer = buffers[i].buffer;
			buffers[i].f = NULL;
			buffers[i].buffer = NULL;
			break;
		}
	}
	pthread_mutex_unlock(&buffers_lock);
	return buffer;
}
