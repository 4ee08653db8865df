/*
 * inject: sends COUNT distinct frames on IFACE, even ones with pcap_inject and odd ones with
 * pcap_sendpacket, sizes from 60 to 1514 bytes, and prints what the calls returned.
 * Usage: inject IFACE COUNT
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	static u_char frame[1514];
	if (argc < 3)
		return 2;
	int count = atoi(argv[2]);
	pcap_t *p = pcap_open_live(argv[1], 65535, 0, 100, errbuf);
	if (p == NULL) {
		printf("open_live: %s\n", errbuf);
		return 1;
	}
	for (int i = 0; i < count; i++) {
		int size = 60 + (i * 97) % (1514 - 60 + 1);
		memset(frame, 0, sizeof frame);
		memcpy(frame, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x88\xb5", 14);
		for (int j = 14; j < size; j++)
			frame[j] = (u_char)(i * 31 + j);
		int rc = i % 2 == 0 ? pcap_inject(p, frame, size) : pcap_sendpacket(p, frame, size);
		printf("%s(%d) = %d\n", i % 2 == 0 ? "inject" : "sendpacket", size, rc);
	}
	pcap_close(p);
	return 0;
}
