/*
 * inject-rate: pcap_inject of COUNT 64-byte frames on IFACE as fast as it goes; prints frames/s.
 * Usage: inject-rate IFACE COUNT
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	static u_char frame[64];
	if (argc < 3)
		return 2;
	long count = atol(argv[2]);
	pcap_t *p = pcap_open_live(argv[1], 65535, 0, 100, errbuf);
	if (p == NULL) {
		fprintf(stderr, "%s\n", errbuf);
		return 1;
	}
	memcpy(frame, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x88\xb5", 14);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < count; i++) {
		frame[20] = (u_char)i;
		if (pcap_inject(p, frame, sizeof frame) != sizeof frame) {
			fprintf(stderr, "pcap_inject: %s\n", pcap_geterr(p));
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%.0f\n", count / s);
	pcap_close(p);
	return 0;
}
