/* pcap_breakloop: reached from signal handlers (tcpdump's SIGINT/SIGTERM/SIGHUP/SIGPIPE). */
#include <unistd.h>
#include <pcap/pcap.h>
#include "pcap-handle.h"

void pcap_breakloop(pcap_t *p)
{
	struct pcap_handle *h = (struct pcap_handle *)p;

	if (h == NULL)
		return;
	__atomic_store_n(&h->break_loop, 1, __ATOMIC_SEQ_CST);
	if (h->wake_fd >= 0) {
		/* Wake a reader blocked in poll(); an eventfd write is async-signal-safe. */
		uint64_t one = 1;
		ssize_t n = write(h->wake_fd, &one, sizeof one);
		(void)n;
	}
}
