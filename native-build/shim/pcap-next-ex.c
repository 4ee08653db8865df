/*
 * pcap_next_ex. When the engine prepared packets for it (a savefile's records already in its
 * read buffer, struct pcap_ready), the next one is handed out here: no entry into the engine per
 * packet. As libpcap's reader, a pcap_breakloop stops it before the packet; the engine
 * (pcap_engine_next_ex in src/Pcap.Native/Abi/pcap_next_ex.cs) does everything else.
 */
#include <pcap/pcap.h>
#include "pcap-handle.h"

int pcap_engine_next_ex(pcap_t *p, struct pcap_pkthdr **header, const u_char **data);

int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **header, const u_char **data)
{
	struct pcap_handle *h = (struct pcap_handle *)p;
	struct pcap_ready *r;

	if (h != NULL && h->magic == PCAP_HANDLE_MAGIC && (r = h->ready) != NULL && r->next < r->count &&
	    __atomic_load_n(&h->break_loop, __ATOMIC_RELAXED) == 0) {
		*header = &r->headers[r->next];
		*data = r->data[r->next];
		r->next++;
		return 1;
	}
	return pcap_engine_next_ex(p, header, data);
}
