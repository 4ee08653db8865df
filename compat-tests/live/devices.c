/*
 * devices: pcap_findalldevs printed in full (names, descriptions, flags, every address byte), then
 * pcap_lookupdev (after pcap_init too: libpcap refuses it then). Run on both libraries in the same
 * namespace: the outputs must be equal.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <sys/socket.h>
#include <netinet/in.h>

static void sa(const char *what, struct sockaddr *a)
{
	if (a == NULL)
		return;
	size_t n = a->sa_family == AF_INET ? 16 : a->sa_family == AF_INET6 ? 28 : a->sa_family == AF_PACKET ? 20 : 16;
	printf("   %s family %d:", what, a->sa_family);
	for (size_t i = 0; i < n; i++)
		printf("%02x", ((unsigned char *)a)[i]);
	printf("\n");
}

int main(void)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *all;
	if (pcap_findalldevs(&all, errbuf) < 0) {
		printf("findalldevs: %s\n", errbuf);
		return 1;
	}
	for (pcap_if_t *d = all; d != NULL; d = d->next) {
		printf("%s [%s] flags %#x\n", d->name, d->description ? d->description : "(none)", d->flags);
		for (pcap_addr_t *a = d->addresses; a != NULL; a = a->next) {
			printf("  address\n");
			sa("addr", a->addr);
			sa("netmask", a->netmask);
			sa("broadaddr", a->broadaddr);
			sa("dstaddr", a->dstaddr);
		}
	}
	pcap_freealldevs(all);
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	char *dev = pcap_lookupdev(errbuf);
	printf("lookupdev: %s\n", dev ? dev : errbuf);
	printf("init: %d\n", pcap_init(PCAP_CHAR_ENC_LOCAL, errbuf));
	dev = pcap_lookupdev(errbuf);
	printf("lookupdev after pcap_init: %s\n", dev ? dev : errbuf);
	return 0;
}
