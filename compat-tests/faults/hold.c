/* Opens a capture and never reads it (compat-tests/suites/79-sources-faults.sh): a program that
 * stops reading must not hold up the traffic its device sees.
 *   hold DEVICE SECONDS    activates DEVICE, says "ready" on stderr, sleeps, closes, says "closed" */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	if (argc != 3)
		return 2;
	pcap_t *p = pcap_create(argv[1], err);
	if (!p) {
		printf("create: %s\n", err);
		return 1;
	}
	int rc = pcap_activate(p);
	if (rc < 0) {
		printf("activate %d %s\n", rc, pcap_geterr(p));
		return 1;
	}
	fprintf(stderr, "ready\n");
	sleep(atoi(argv[2]));
	pcap_close(p);
	fprintf(stderr, "closed\n");
	return 0;
}
