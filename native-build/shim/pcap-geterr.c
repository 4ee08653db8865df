/* pcap_geterr and pcap_perror: tcpdump calls pcap_geterr from its SIGUSR1 handler when pcap_stats fails. */
#include <stdio.h>
#include <pcap/pcap.h>
#include "pcap-handle.h"

char *pcap_geterr(pcap_t *p)
{
	return ((struct pcap_handle *)p)->errbuf;
}

void pcap_perror(pcap_t *p, const char *prefix)
{
	fprintf(stderr, "%s: %s\n", prefix, ((struct pcap_handle *)p)->errbuf);
}
