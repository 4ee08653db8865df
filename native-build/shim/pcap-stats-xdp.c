/*
 * pcap_stats for the AF_XDP capture module: ps_drop straight from the socket's XDP_STATISTICS (RX
 * ring full, or no fill-ring frame to copy into), so drops show while the program is not reading.
 * Reached from signal handlers: getsockopt only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_xdp.h>
#include <pcap/pcap.h>
#include "pcap-handle.h"

#ifndef SOL_XDP
#define SOL_XDP 283
#endif

int pcap_stats_xdp(struct pcap_handle *h, struct pcap_stat *ps)
{
	struct xdp_statistics xs;
	socklen_t length = sizeof xs;

	memset(&xs, 0, sizeof xs);
	if (getsockopt(h->stats_fd, SOL_XDP, XDP_STATISTICS, &xs, &length) < 0) {
		snprintf(h->errbuf, PCAP_HANDLE_ERRBUF, "xdp: getsockopt (XDP_STATISTICS): %s", strerror(errno));
		return PCAP_ERROR;
	}
	ps->ps_recv = (u_int)h->ps_recv;
	ps->ps_drop = (u_int)(xs.rx_dropped + xs.rx_ring_full);
	ps->ps_ifdrop = 0;
	return 0;
}
