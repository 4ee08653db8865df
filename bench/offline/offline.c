/*
 * offline: packets per second reading a savefile. Linked against the system pcap.h; which library it
 * measures is chosen by the loader (bench/offline/run.sh runs it on the system libpcap and on ours).
 *   offline gen FILE COUNT SIZE   writes COUNT frames of SIZE bytes (pcap)
 *   offline gen-ng FILE COUNT SIZE  the same as pcapng (enhanced packet blocks)
 *   offline loop|next_ex FILE     reads the file through pcap_loop or pcap_next_ex
 *   offline file-loop FILE        pcap_loop after pcap_file (the reader then follows the FILE *)
 *   offline walk FILE             the limit: 64 KiB read() calls and a walk over the record headers
 *   offline dump FILE OUT         pcap_loop with pcap_dump into pcap_dump_open(OUT): tcpdump -r -w without tcpdump
 *   offline walk-write FILE OUT [locked]  the limit of that: the walk, each record copied into a 64 KiB buffer
 *                                 written to OUT with write(); "locked" also takes and drops a stdio stream's
 *                                 lock a record with a second thread alive (the atomic lock a multi-threaded
 *                                 process pays in pcap_dump)
 *   offline exec COUNT CMD ARGS   runs CMD (e.g. tcpdump -r FILE -w /dev/null), which handles COUNT packets
 * Prints packets per CPU second (user and kernel time of the process, or of CMD), packets per
 * wall-clock second, and the packet count.
 */
#include <sys/wait.h>
#include <pthread.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time of the process (user and kernel): on a shared machine it measures the work, not the waiting. */
static double cpu(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static unsigned long total_bytes, loop_packets;

static void callback(u_char *user, const struct pcap_pkthdr *h, const u_char *d)
{
	(void)user;
	total_bytes += h->caplen + d[h->caplen - 1]; /* touch the data, as a real reader would */
	loop_packets++;
}

/* As tcpdump -w's callback: pcap_dump a packet (and count it). */
static void dump_callback(u_char *user, const struct pcap_pkthdr *h, const u_char *d)
{
	pcap_dump(user, h, d);
	loop_packets++;
}

static int generate(const char *path, long count, uint32_t size)
{
	FILE *f = fopen(path, "wb");
	uint32_t header[6] = { 0xa1b2c3d4, 2 | (4 << 16), 0, 0, 262144, 1 };
	unsigned char *frame = malloc(size);

	if (f == NULL || frame == NULL)
		return 1;
	for (uint32_t i = 0; i < size; i++)
		frame[i] = (unsigned char)i;
	fwrite(header, sizeof header, 1, f);
	for (long i = 0; i < count; i++) {
		uint32_t record[4] = { (uint32_t)(1700000000 + i / 1000000), (uint32_t)(i % 1000000), size, size };
		fwrite(record, sizeof record, 1, f);
		fwrite(frame, size, 1, f);
	}
	return fclose(f) != 0;
}

static int generate_ng(const char *path, long count, uint32_t size)
{
	FILE *f = fopen(path, "wb");
	uint32_t shb[7] = { 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0xffffffff, 0xffffffff, 28 };
	uint32_t idb[5] = { 1, 20, 1, 262144, 20 };
	uint32_t padded = (size + 3) & ~3u, block = 32 + padded;
	unsigned char *frame = calloc(1, padded);

	if (f == NULL || frame == NULL)
		return 1;
	for (uint32_t i = 0; i < size; i++)
		frame[i] = (unsigned char)i;
	fwrite(shb, sizeof shb, 1, f);
	fwrite(idb, sizeof idb, 1, f);
	for (long i = 0; i < count; i++) {
		uint64_t t = (uint64_t)1700000000 * 1000000 + (uint64_t)i;
		uint32_t epb[7] = { 6, block, 0, (uint32_t)(t >> 32), (uint32_t)t, size, size };
		fwrite(epb, sizeof epb, 1, f);
		fwrite(frame, padded, 1, f);
		fwrite(&block, 4, 1, f);
	}
	return fclose(f) != 0;
}

static long walk(const char *path, int out_fd, int locked)
{
	enum { CHUNK = 64 << 10 }; /* the fastest read size here: the copy stays in the second-level cache */
	unsigned char *buf = malloc(2 * CHUNK), *out = malloc(CHUNK);
	size_t out_have = 0;
	int fd = open(path, O_RDONLY);
	size_t have = 0, at = 24;
	long packets = 0;
	ssize_t n;

	while ((n = read(fd, buf + have, CHUNK)) > 0) {
		have += n;
		while (at + 16 <= have) {
			uint32_t caplen;
			memcpy(&caplen, buf + at + 8, 4);
			if (at + 16 + caplen > have)
				break;
			total_bytes += caplen + buf[at + 16 + caplen - 1];
			if (out_fd >= 0) {
				if (locked)
					flockfile(stdout);
				if (out_have + 16 + caplen > CHUNK) {
					if (write(out_fd, out, out_have) < 0)
						return -1;
					out_have = 0;
				}
				memcpy(out + out_have, buf + at, 16 + caplen);
				out_have += 16 + caplen;
				if (locked)
					funlockfile(stdout);
			}
			at += 16 + caplen;
			packets++;
		}
		memmove(buf, buf + at, have - at);
		have -= at;
		at = 0;
	}
	close(fd);
	if (out_fd >= 0 && out_have > 0 && write(out_fd, out, out_have) < 0)
		return -1;
	free(buf);
	free(out);
	return packets;
}

static void *idle(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

static long walk_write(const char *path, const char *out_path, int locked)
{
	int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	pthread_t thread;
	long packets;

	if (out < 0)
		return 0;
	/* glibc skips stream locks while a process has one thread; ours always has the runtime's. */
	if (locked && pthread_create(&thread, NULL, idle, NULL) != 0)
		return 0;
	packets = walk(path, out, locked);
	close(out);
	return packets;
}

/* Runs a command to its end: packets per CPU second of the command, per wall-clock second. */
static int run(long packets, char **argv)
{
	struct rusage ru;
	double start = now();
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return 1;
	double seconds = now() - start;
	double cpu_seconds = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	printf("%.0f %.0f %ld\n", cpu_seconds > 0 ? packets / cpu_seconds : 0, seconds > 0 ? packets / seconds : 0, packets);
	return 0;
}

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	long packets = 0;
	double start, cpu_start;

	if (argc >= 4 && strcmp(argv[1], "exec") == 0)
		return run(atol(argv[2]), argv + 3);

	if (argc == 5 && strcmp(argv[1], "gen") == 0)
		return generate(argv[2], atol(argv[3]), (uint32_t)atoi(argv[4]));
	if (argc == 5 && strcmp(argv[1], "gen-ng") == 0)
		return generate_ng(argv[2], atol(argv[3]), (uint32_t)atoi(argv[4]));
	if (argc != 3 && !(argc >= 4 && (strcmp(argv[1], "dump") == 0 || strcmp(argv[1], "walk-write") == 0)))
		return 2;
	start = now();
	cpu_start = cpu();
	if (strcmp(argv[1], "walk") == 0) {
		packets = walk(argv[2], -1, 0);
	} else if (strcmp(argv[1], "walk-write") == 0) {
		packets = walk_write(argv[2], argv[3], argc > 4 && strcmp(argv[4], "locked") == 0);
	} else {
		pcap_t *p = pcap_open_offline(argv[2], errbuf);
		if (p == NULL) {
			fprintf(stderr, "%s\n", errbuf);
			return 1;
		}
		if (strcmp(argv[1], "file-loop") == 0 && pcap_file(p) == NULL)
			return 1;
		if (strcmp(argv[1], "dump") == 0) {
			pcap_dumper_t *d = pcap_dump_open(p, argv[3]);
			if (d == NULL || pcap_loop(p, -1, dump_callback, (u_char *)d) != 0) {
				fprintf(stderr, "%s\n", pcap_geterr(p));
				return 1;
			}
			pcap_dump_close(d);
			packets = (long)loop_packets;
		} else if (strcmp(argv[1], "loop") == 0 || strcmp(argv[1], "file-loop") == 0) {
			if (pcap_loop(p, -1, callback, NULL) != 0)
				fprintf(stderr, "%s\n", pcap_geterr(p));
			packets = (long)loop_packets;
		} else {
			struct pcap_pkthdr *h;
			const u_char *d;
			while (pcap_next_ex(p, &h, &d) == 1) {
				total_bytes += h->caplen + d[h->caplen - 1];
				packets++;
			}
		}
		pcap_close(p);
	}
	double seconds = now() - start, cpu_seconds = cpu() - cpu_start;
	/* packets per CPU second, packets per wall-clock second, packets */
	printf("%.0f %.0f %ld\n", cpu_seconds > 0 ? packets / cpu_seconds : 0, seconds > 0 ? packets / seconds : 0, packets);
	return 0;
}
