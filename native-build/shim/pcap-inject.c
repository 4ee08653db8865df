/*
 * pcap_inject and pcap_sendpacket. Where the capture module sends a frame with a plain send() on
 * one descriptor (a Linux packet socket on a device with a link-layer header), that is done here,
 * in C: a frame costs the system call and nothing more. Everything else (the size checks' texts,
 * refusals, the netmap module, savefiles and dead handles) is the engine's (pcap_engine_inject in
 * src/Pcap.Native/Abi/pcap_inject.cs).
 */
#define _GNU_SOURCE /* strerror_r returning the text */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <pcap/pcap.h>
#include "pcap-handle.h"

int pcap_engine_inject(pcap_t *p, const void *buf, size_t size);
int pcap_engine_sendpacket(pcap_t *p, const u_char *buf, int size);

/* The descriptor to send on, or -1 when the engine must handle the call. */
static int inject_fd(pcap_t *p)
{
	struct pcap_handle *h = (struct pcap_handle *)p;

	return h != NULL && h->magic == PCAP_HANDLE_MAGIC ? h->inject_fd : -1;
}

/* libpcap's "send: <strerror>" (pcap_fmt_errmsg_for_errno). */
static int send_failed(pcap_t *p, int errnum)
{
	char text[PCAP_HANDLE_ERRBUF];

	snprintf(((struct pcap_handle *)p)->errbuf, PCAP_HANDLE_ERRBUF, "send: %s",
	    strerror_r(errnum, text, sizeof text));
	return PCAP_ERROR;
}

int pcap_inject(pcap_t *p, const void *buf, size_t size)
{
	int fd = inject_fd(p);
	ssize_t sent;

	if (fd < 0 || size == 0 || size > INT_MAX)
		return pcap_engine_inject(p, buf, size);
	sent = send(fd, buf, size, 0);
	return sent < 0 ? send_failed(p, errno) : (int)sent;
}

int pcap_sendpacket(pcap_t *p, const u_char *buf, int size)
{
	int fd = inject_fd(p);

	if (fd < 0 || size <= 0)
		return pcap_engine_sendpacket(p, buf, size);
	return send(fd, buf, (size_t)size, 0) < 0 ? send_failed(p, errno) : 0;
}
