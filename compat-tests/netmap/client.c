/*
 * netmap-client MODE DEVICE [ARG]: one pcap behaviour on a netmap port, checked from a client
 * compiled against the system pcap.h and run on our library with the emulation preloaded.
 * ARG is a shell command that makes the peer send frames (run when the check needs traffic) or a
 * count. Prints "PASS name", "FAIL name: why" or "SKIP name: why".
 */
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void result(const char *name, int ok, const char *why)
{
	printf(ok ? "PASS netmap-%s\n" : "FAIL netmap-%s: %s\n", name, why);
	fflush(stdout);
	failures += !ok;
}

static pcap_t *open_port(const char *dev, int timeout)
{
	char err[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_create(dev, err);
	if (p == NULL) {
		printf("FAIL netmap-open: pcap_create %s: %s\n", dev, err);
		exit(1);
	}
	pcap_set_snaplen(p, 65535);
	pcap_set_timeout(p, timeout);
	int r = pcap_activate(p);
	if (r < 0) {
		printf("FAIL netmap-open: pcap_activate %s: %d %s\n", dev, r, pcap_geterr(p));
		exit(1);
	}
	return p;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

/* Runs the peer's sender after a delay, in the background. */
static void send_later(const char *cmd, int ms)
{
	if (fork() == 0) {
		usleep((useconds_t)ms * 1000);
		_exit(system(cmd) == 0 ? 0 : 1);
	}
}

static int packets;
static u_int last_len;
static unsigned char seqs[64];

static void count(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	(void)user;
	if (packets < 64)
		seqs[packets] = h->caplen > 15 ? data[15] : 0xff;
	packets++;
	last_len = h->len;
}

static void set_program(pcap_t *p, struct bpf_insn *insns, u_int n)
{
	struct bpf_program prog = { n, insns };
	if (pcap_setfilter(p, &prog) != 0) {
		printf("FAIL netmap-setfilter: %s\n", pcap_geterr(p));
		exit(1);
	}
}

static void *breaker(void *p)
{
	usleep(300000);
	pcap_breakloop(p);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	const char *mode = argv[1], *dev = argv[2], *arg = argc > 3 ? argv[3] : "";
	char why[512];

	if (strcmp(mode, "block") == 0) {
		/* Timeout 0 blocks until a packet comes, without spinning (libpcap's module polls with 0: 100 % CPU). */
		pcap_t *p = open_port(dev, 0);
		send_later(arg, 800);
		double t0 = now(), c0 = cpu();
		int n = pcap_dispatch(p, -1, count, NULL);
		double wall = now() - t0, used = cpu() - c0;
		snprintf(why, sizeof why, "pcap_dispatch returned %d after %.2f s using %.2f s of CPU", n, wall, used);
		result("timeout-0-blocks-until-a-packet", n > 0, why);
		result("timeout-0-does-not-spin", n > 0 && used < wall / 2, why);
		wait(NULL);
		pcap_close(p);
	} else if (strcmp(mode, "timeout") == 0) {
		/* A positive timeout with no traffic: pcap_dispatch and pcap_next_ex return 0 (libpcap's module never returns). */
		pcap_t *p = open_port(dev, 300);
		int n = pcap_dispatch(p, -1, count, NULL);
		struct pcap_pkthdr *h;
		const u_char *d;
		int m = pcap_next_ex(p, &h, &d);
		snprintf(why, sizeof why, "pcap_dispatch %d, pcap_next_ex %d", n, m);
		result("timeout-positive-returns-0", n == 0 && m == 0, why);
		pcap_close(p);
	} else if (strcmp(mode, "nonblock") == 0) {
		pcap_t *p = open_port(dev, 0);
		char err[PCAP_ERRBUF_SIZE];
		int set = pcap_setnonblock(p, 1, err), get = pcap_getnonblock(p, err);
		double t0 = now();
		int idle = pcap_dispatch(p, -1, count, NULL);
		double idle_wall = now() - t0;
		int sent = system(arg);
		usleep(300000);
		int busy = pcap_dispatch(p, -1, count, NULL);
		snprintf(why, sizeof why, "setnonblock %d getnonblock %d, idle dispatch %d (%.2f s), after traffic %d (sender %d)",
			set, get, idle, idle_wall, busy, sent);
		/* A read that waited would hang here with timeout 0; the suite's timeout(1) turns that into a FAIL. */
		result("nonblock-returns-at-once-when-idle", set == 0 && get == 1 && idle == 0, why);
		result("nonblock-delivers-waiting-packets", sent == 0 && busy > 0, why);
		pcap_close(p);
	} else if (strcmp(mode, "breakloop") == 0) {
		pcap_t *p = open_port(dev, 0);
		pthread_t t;
		pthread_create(&t, NULL, breaker, p);
		int r = pcap_loop(p, -1, count, NULL);
		pthread_join(t, NULL);
		snprintf(why, sizeof why, "pcap_loop returned %d", r);
		result("breakloop-wakes-an-idle-read", r == PCAP_ERROR_BREAK, why);
		pcap_close(p);
	} else if (strcmp(mode, "filtered") == 0) {
		/* Packets the filter rejects are neither counted nor handed out by pcap_next_ex. */
		pcap_t *p = open_port(dev, 300);
		struct bpf_insn reject[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
		struct bpf_insn accept[] = { BPF_STMT(BPF_RET | BPF_K, 65535) };
		set_program(p, reject, 1);
		if (system(arg) != 0) {
			result("filtered-packets-are-not-counted", 0, "sender failed");
			return 1;
		}
		usleep(200000);
		int n = pcap_dispatch(p, -1, count, NULL);
		struct pcap_pkthdr *h;
		const u_char *d;
		int m = pcap_next_ex(p, &h, &d);
		snprintf(why, sizeof why, "pcap_dispatch %d (callbacks %d), pcap_next_ex %d", n, packets, m);
		result("filtered-packets-are-not-counted", n == 0 && packets == 0, why);
		result("next-ex-returns-no-stale-packet", m == 0, why);
		set_program(p, accept, 1);
		send_later(arg, 100);
		int got = 0;
		for (int i = 0; i < 20 && got == 0; i++)
			got = pcap_next_ex(p, &h, &d);
		struct pcap_stat st = { 0, 0, 0 };
		int sr = pcap_stats(p, &st);
		snprintf(why, sizeof why, "pcap_next_ex %d len %u; pcap_stats %d recv %u drop %u", got, got == 1 ? h->len : 0, sr,
			st.ps_recv, st.ps_drop);
		result("next-ex-delivers-after-the-filter-changes", got == 1 && h->len == 60 && d[12] == 0x88, why);
		result("stats-count-delivered-packets", sr == 0 && st.ps_recv >= 1 && st.ps_recv <= 5, why);
		wait(NULL);
		pcap_close(p);
	} else if (strcmp(mode, "loop-count") == 0) {
		/* pcap_loop(3) with a filter that takes every other frame: exactly 3 matching packets, sequence 0, 2, 4. */
		pcap_t *p = open_port(dev, 1000);
		struct bpf_insn even[] = {
			BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 15),
			BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 1, 1, 0),
			BPF_STMT(BPF_RET | BPF_K, 65535),
			BPF_STMT(BPF_RET | BPF_K, 0),
		};
		set_program(p, even, 4);
		send_later(arg, 300);
		int r = pcap_loop(p, 3, count, NULL);
		if (r == -1 && strstr(pcap_geterr(p), "not built")) {
			wait(NULL);
			printf("SKIP netmap-loop-counts-packets-after-the-filter: %s\n", pcap_geterr(p));
			return 0;
		}
		snprintf(why, sizeof why, "pcap_loop %d, %d callbacks, sequence %d %d %d (%s)", r, packets, seqs[0], seqs[1], seqs[2],
			r < 0 ? pcap_geterr(p) : "");
		result("loop-counts-packets-after-the-filter", r == 0 && packets == 3 && seqs[0] == 0 && seqs[1] == 2 && seqs[2] == 4, why);
		wait(NULL);
		pcap_close(p);
	} else if (strcmp(mode, "inject") == 0) {
		/* ARG frames (of the size after the count, 100 bytes by default) out of the port; the suite
		 * checks that the peer received them. Frames beyond a netmap buffer go out in NS_MOREFRAG slots. */
		pcap_t *p = open_port(dev, 100);
		int n = atoi(arg), ok = 0, size = argc > 4 ? atoi(argv[4]) : 100;
		unsigned char frame[9000];
		if (size < 14 || size > (int)sizeof frame)
			return 2;
		memset(frame, 0xff, 6);
		memcpy(frame + 6, "\x02\x00\x00\x00\x00\x03", 6);
		frame[12] = 0x88;
		frame[13] = 0xb5;
		for (int i = 0; i < n; i++) {
			for (int j = 14; j < size; j++)
				frame[j] = (unsigned char)(i + j);
			ok += pcap_inject(p, frame, (size_t)size) == size;
			usleep(2000);
		}
		snprintf(why, sizeof why, "%d of %d pcap_inject calls returned the length (%s)", ok, n, pcap_geterr(p));
		result("inject-returns-the-length", ok == n, why);
		pcap_close(p);
	} else if (strcmp(mode, "inject-full") == 0) {
		/* On a link that cannot send, the TX ring fills; pcap_inject then says -1 (libpcap's module: 0, silently). */
		pcap_t *p = open_port(dev, 100);
		unsigned char frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 3, 0x88, 0xb5 };
		int i, r = 0;
		for (i = 0; i < 5000; i++)
			if ((r = pcap_inject(p, frame, sizeof frame)) != (int)sizeof frame)
				break;
		snprintf(why, sizeof why, "pcap_inject returned %d after %d frames: %s", r, i, pcap_geterr(p));
		result("inject-full-ring-is-an-error", r == -1 && i > 0 && i < 5000 && strlen(pcap_geterr(p)) > 0, why);
		pcap_close(p);
	} else {
		fprintf(stderr, "unknown mode %s\n", mode);
		return 2;
	}
	return failures != 0;
}
