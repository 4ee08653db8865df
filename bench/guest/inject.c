/*
 * guest-inject DEVICE SECONDS SIZE: calls pcap_inject with SIZE-byte frames on DEVICE for SECONDS
 * and prints "inject N frames in S seconds" (bench/guest: pcap_inject through netmap, beside
 * pkt-gen -f tx on the same kind of port). Frames the ring has no room for (pcap_inject -1) are
 * retried, not counted.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	char err[PCAP_ERRBUF_SIZE] = "";
	double seconds = atof(argv[2]);
	int size = atoi(argv[3]);
	unsigned char frame[2048];
	if (size < 60 || size > (int)sizeof frame)
		return 2;
	pcap_t *p = pcap_open_live(argv[1], 65535, 0, 100, err);
	if (p == NULL) {
		fprintf(stderr, "guest-inject: %s\n", err);
		return 1;
	}
	memset(frame, 0, sizeof frame);
	memset(frame, 0xff, 6);
	memcpy(frame + 6, "\x02\x00\x00\x00\x00\x04", 6);
	frame[12] = 0x88;
	frame[13] = 0xb5;
	unsigned long long sent = 0, full = 0;
	double t0 = now(), t = t0;
	while (t - t0 < seconds) {
		for (int i = 0; i < 256; i++) {
			frame[14] = (unsigned char)(sent >> 8);
			frame[15] = (unsigned char)sent;
			if (pcap_inject(p, frame, (size_t)size) == size)
				sent++;
			else
				full++;
		}
		t = now();
	}
	printf("inject %llu frames in %.2f seconds (%llu calls found the ring full)\n", sent, t - t0, full);
	pcap_close(p);
	return 0;
}
