/* PACKET_STATISTICS for the AF_PACKET capture module, with libpcap 1.10's Linux semantics. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_packet.h>
#include <pcap/pcap.h>
#include "pcap-handle.h"

int pcap_stats_packet_socket(struct pcap_handle *h, struct pcap_stat *ps)
{
	struct tpacket_stats kstats;
	socklen_t len = sizeof kstats;

	/* The kernel resets its counters on every read, so they are accumulated here. */
	if (getsockopt(h->stats_fd, SOL_PACKET, PACKET_STATISTICS, &kstats, &len) < 0) {
		snprintf(h->errbuf, PCAP_HANDLE_ERRBUF, "failed to get statistics from socket: %s", strerror(errno));
		return PCAP_ERROR;
	}
	h->ps_recv += kstats.tp_packets;
	h->ps_drop += kstats.tp_drops;
	ps->ps_recv = (u_int)h->ps_recv;
	ps->ps_drop = (u_int)h->ps_drop;
	ps->ps_ifdrop = (u_int)h->ps_ifdrop;
	return 0;
}
