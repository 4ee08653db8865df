/*
 * breakloop-thread: a capture blocked in pcap_loop on an idle interface (timeout 0: block until a
 * packet) must come back with -2 when another thread calls pcap_breakloop. An alarm after 10 s
 * catches a reader that never wakes. Prints the result and how long the wake took.
 * Usage: breakloop-thread IFACE [immediate]
 */
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pcap_t *p;
static struct timespec asked;

static void *breaker(void *arg)
{
	(void)arg;
	usleep(300 * 1000);
	clock_gettime(CLOCK_MONOTONIC, &asked);
	pcap_breakloop(p);
	return NULL;
}

static void packet(u_char *u, const struct pcap_pkthdr *h, const u_char *b)
{
	(void)u; (void)h; (void)b;
}

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	if (argc < 2)
		return 2;
	p = pcap_create(argv[1], errbuf);
	if (p == NULL) {
		printf("create: %s\n", errbuf);
		return 1;
	}
	pcap_set_timeout(p, 0);
	if (argc > 2)
		pcap_set_immediate_mode(p, 1);
	if (pcap_activate(p) < 0) {
		printf("activate: %s\n", pcap_geterr(p));
		return 1;
	}
	alarm(10);
	pthread_t t;
	pthread_create(&t, NULL, breaker, NULL);
	int rc = pcap_loop(p, -1, packet, NULL);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_join(t, NULL);
	long ms = (now.tv_sec - asked.tv_sec) * 1000 + (now.tv_nsec - asked.tv_nsec) / 1000000;
	printf("pcap_loop = %d\n", rc);
	fprintf(stderr, "woke %ld ms after pcap_breakloop\n", ms);
	pcap_close(p);
	return rc == PCAP_ERROR_BREAK ? 0 : 1;
}
