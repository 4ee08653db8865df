/*
 * pcap_stats for a Bluetooth HCI device (libpcap's bt_stats_linux): HCIGETDEVINFO's counters, every
 * frame received or sent as ps_recv, errors as ps_drop. Signal-handler safe: one ioctl (retried on
 * EINTR), snprintf only for the error, as libpcap.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <pcap/pcap.h>
#include "pcap-handle.h"

/* <bluetooth/hci.h>'s struct hci_dev_info, which the build does not need BlueZ's headers for. */
struct hci_dev_stats {
	uint32_t err_rx, err_tx, cmd_tx, evt_rx, acl_tx, acl_rx, sco_tx, sco_rx, byte_rx, byte_tx;
};

struct hci_dev_info {
	uint16_t dev_id;
	char name[8];
	uint8_t bdaddr[6];
	uint32_t flags;
	uint8_t type;
	uint8_t features[8];
	uint32_t pkt_type, link_policy, link_mode;
	uint16_t acl_mtu, acl_pkts, sco_mtu, sco_pkts;
	struct hci_dev_stats stat;
};

_Static_assert(sizeof(struct hci_dev_info) == 92, "struct hci_dev_info");

#define HCIGETDEVINFO _IOR('H', 211, int)

int pcap_stats_bluetooth(struct pcap_handle *h, struct pcap_stat *ps)
{
	struct hci_dev_info info;
	int ret;

	memset(&info, 0, sizeof info);
	info.dev_id = (uint16_t)h->ifdrop_base;
	do
		ret = ioctl(h->stats_fd, HCIGETDEVINFO, &info);
	while (ret == -1 && errno == EINTR);
	if (ret < 0) {
		snprintf(h->errbuf, PCAP_HANDLE_ERRBUF, "Can't get stats via ioctl: %s", strerror(errno));
		return PCAP_ERROR;
	}
	ps->ps_recv = info.stat.evt_rx + info.stat.acl_rx + info.stat.sco_rx + info.stat.cmd_tx +
	    info.stat.acl_tx + info.stat.sco_tx;
	ps->ps_drop = info.stat.err_rx + info.stat.err_tx;
	ps->ps_ifdrop = 0;
	return 0;
}
