/*
 * pcap_stats for usbmon (libpcap's usb_stats_linux_bin): MON_IOCG_STATS gives the events queued in
 * the ring and those the kernel dropped; ps_recv is what the handle delivered plus what is queued.
 * Signal-handler safe: one ioctl, snprintf only for the error, as libpcap.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <pcap/pcap.h>
#include "pcap-handle.h"

struct mon_bin_stats {
	uint32_t queued;
	uint32_t dropped;
};

#define MON_IOCG_STATS _IOR(0x92, 3, struct mon_bin_stats)

int pcap_stats_usbmon(struct pcap_handle *h, struct pcap_stat *ps)
{
	struct mon_bin_stats st;

	if (ioctl(h->stats_fd, MON_IOCG_STATS, &st) < 0) {
		snprintf(h->errbuf, PCAP_HANDLE_ERRBUF, "Can't read stats from fd %d: %s", h->stats_fd, strerror(errno));
		return PCAP_ERROR;
	}
	ps->ps_recv = (u_int)h->ps_recv + st.queued;
	ps->ps_drop = st.dropped;
	ps->ps_ifdrop = 0;
	return 0;
}
