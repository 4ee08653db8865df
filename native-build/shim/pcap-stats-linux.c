/*
 * PACKET_STATISTICS for the AF_PACKET capture module, with libpcap 1.10's Linux semantics. Reached
 * from signal handlers (tcpdump's SIGUSR1), so only async-signal-safe calls: getsockopt, open,
 * read, close, no stdio. snprintf is used for errors only, as libpcap does.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if_packet.h>
#include <pcap/pcap.h>
#include "pcap-handle.h"

/* One /sys/class/net/<if>/statistics/<name> counter; 0 when it can't be read (as libpcap). */
static uint64_t interface_counter(const char *ifname, const char *name)
{
	char path[128], text[32];
	size_t n = 0;
	const char *parts[] = { "/sys/class/net/", ifname, "/statistics/", name };

	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		for (const char *c = parts[i]; *c != '\0' && n < sizeof path - 1; c++)
			path[n++] = *c;
	path[n] = '\0';
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t got = read(fd, text, sizeof text - 1);
	close(fd);
	uint64_t value = 0;
	for (ssize_t i = 0; i < got && text[i] >= '0' && text[i] <= '9'; i++)
		value = value * 10 + (uint64_t)(text[i] - '0');
	return value;
}

int pcap_stats_packet_socket(struct pcap_handle *h, struct pcap_stat *ps)
{
	struct tpacket_stats kstats;
	socklen_t len = sizeof kstats;

	/* Drops by the interface since activation, only when promiscuous mode was asked for. */
	if (h->promisc) {
		uint64_t now = interface_counter(h->ifname, "rx_missed_errors") +
		    interface_counter(h->ifname, "rx_fifo_errors");
		h->ps_ifdrop = now - h->ifdrop_base;
	}
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
