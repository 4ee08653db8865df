/*
 * breakloop: a signal handler calls pcap_breakloop while pcap_loop runs over a large capture.
 * A watcher thread waits until the loop has delivered a random number of packets, then signals the
 * process, so the signal lands at a random moment of the loop (in the library or in the callback).
 * Every run must end with pcap_loop returning -2 (PCAP_ERROR_BREAK) and no crash.
 * Usage: breakloop RUNS  (prints one PASS/FAIL line)
 */
#include <pcap/pcap.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PACKETS 400000
#define FRAME 60

static pcap_t *volatile handle;
static volatile sig_atomic_t signalled;
static atomic_long delivered;
static long target;

static void on_signal(int sig)
{
	(void)sig;
	pcap_breakloop(handle);
	signalled = 1;
}

static void callback(u_char *user, const struct pcap_pkthdr *h, const u_char *d)
{
	(void)user;
	(void)d;
	(void)h;
	long n = atomic_fetch_add_explicit(&delivered, 1, memory_order_relaxed);
	/* On a busy machine the watcher may not have run yet: never let the capture end before the signal. */
	if (n >= PACKETS - 1000)
		while (!signalled)
			usleep(100);
}

static void *watcher(void *arg)
{
	sigset_t set;
	(void)arg;
	/* The signal must land on the thread running pcap_loop. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	while (atomic_load_explicit(&delivered, memory_order_relaxed) < target)
		sched_yield();
	kill(getpid(), SIGUSR1);
	return NULL;
}

static int write_capture(const char *path)
{
	FILE *f = fopen(path, "wb");
	uint32_t file_header[6] = { 0xa1b2c3d4, 2 | (4 << 16), 0, 0, 65535, 1 };
	unsigned char frame[FRAME];

	if (f == NULL)
		return -1;
	fwrite(file_header, sizeof file_header, 1, f);
	memset(frame, 0xab, sizeof frame);
	for (uint32_t i = 0; i < PACKETS; i++) {
		uint32_t record[4] = { 1700000000 + i / 1000, i % 1000000, FRAME, FRAME };
		fwrite(record, sizeof record, 1, f);
		fwrite(frame, sizeof frame, 1, f);
	}
	return fclose(f);
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 200;
	char path[] = "/tmp/breakloop-XXXXXX";
	char errbuf[PCAP_ERRBUF_SIZE];
	struct sigaction sa;
	int fd = mkstemp(path), failures = 0;

	if (fd < 0 || write_capture(path) != 0) {
		printf("FAIL breakloop-signal: cannot write %s\n", path);
		return 1;
	}
	close(fd);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGUSR1, &sa, NULL);
	srand((unsigned)getpid());

	for (int run = 0; run < runs; run++) {
		pthread_t thread;
		pcap_t *p = pcap_open_offline(path, errbuf);
		if (p == NULL) {
			printf("FAIL breakloop-signal: %s\n", errbuf);
			failures++;
			break;
		}
		handle = p;
		atomic_store(&delivered, 0);
		signalled = 0;
		/* Well before the end of the capture, so the loop is still running when the signal lands. */
		target = rand() % (PACKETS / 2);
		pthread_create(&thread, NULL, watcher, NULL);
		int status = pcap_loop(p, -1, callback, NULL);
		pthread_join(thread, NULL);
		if (status != PCAP_ERROR_BREAK) {
			printf("FAIL breakloop-signal: run %d: pcap_loop returned %d after %ld packets (signal after %ld)\n",
			    run, status, atomic_load(&delivered), target);
			failures++;
		}
		pcap_close(p);
	}
	unlink(path);
	if (failures == 0)
		printf("PASS breakloop-signal (%d runs)\n", runs);
	return failures != 0;
}
