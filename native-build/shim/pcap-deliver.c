/*
 * Hands a batch of packets the capture module prepared (headers and data in the ring) to the
 * program's pcap_handler: one call from managed code per batch instead of one per packet. Stops
 * before a packet once pcap_breakloop was called, as libpcap's ring readers do.
 */
#include <pcap/pcap.h>
#include "pcap-handle.h"

int pcap_shim_deliver(pcap_handler callback, u_char *user, const struct pcap_pkthdr *headers,
    const u_char *const *data, int count, struct pcap_handle *h)
{
	int i;

	for (i = 0; i < count && __atomic_load_n(&h->break_loop, __ATOMIC_RELAXED) == 0; i++)
		callback(user, &headers[i], data[i]);
	return i;
}
