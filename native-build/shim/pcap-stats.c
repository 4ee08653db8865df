/* pcap_stats: reached from tcpdump's SIGUSR1 handler, so it reads only the handle block and the kernel. */
#include <string.h>
#include <pcap/pcap.h>
#include "pcap-handle.h"

int pcap_stats_packet_socket(struct pcap_handle *h, struct pcap_stat *ps);
int pcap_stats_xdp(struct pcap_handle *h, struct pcap_stat *ps);
int pcap_stats_usbmon(struct pcap_handle *h, struct pcap_stat *ps);
int pcap_stats_bluetooth(struct pcap_handle *h, struct pcap_stat *ps);

static int stats_error(struct pcap_handle *h, const char *text, int code)
{
	strncpy(h->errbuf, text, PCAP_HANDLE_ERRBUF - 1);
	h->errbuf[PCAP_HANDLE_ERRBUF - 1] = '\0';
	return code;
}

int pcap_stats(pcap_t *p, struct pcap_stat *ps)
{
	struct pcap_handle *h = (struct pcap_handle *)p;

	switch (h->stats_source) {
	case PCAP_STATS_SAVEFILE:
		return stats_error(h, "Statistics aren't available from savefiles", PCAP_ERROR);
	case PCAP_STATS_DEAD:
		return stats_error(h, "Statistics aren't available from a pcap_open_dead pcap_t", PCAP_ERROR);
	case PCAP_STATS_COUNTERS:
		ps->ps_recv = (u_int)h->ps_recv;
		ps->ps_drop = (u_int)h->ps_drop;
		ps->ps_ifdrop = (u_int)h->ps_ifdrop;
		return 0;
	case PCAP_STATS_PACKET_SOCKET:
		return pcap_stats_packet_socket(h, ps);
	case PCAP_STATS_XDP:
		return pcap_stats_xdp(h, ps);
	case PCAP_STATS_USBMON:
		return pcap_stats_usbmon(h, ps);
	case PCAP_STATS_BLUETOOTH:
		return pcap_stats_bluetooth(h, ps);
	default:
		return stats_error(h, "This handle hasn't been activated yet", PCAP_ERROR_NOT_ACTIVATED);
	}
}
