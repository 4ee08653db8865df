/*
 * startup: what a process pays to load the library and open one handle.
 *   startup open FILE        loads the library (by the loader), opens FILE with pcap_open_offline, closes it
 *   startup time N CMD ARGS  runs CMD N times, one after another; prints the median and the lowest
 *                            wall-clock milliseconds a run, and the median CPU milliseconds (user and kernel)
 * bench/startup/run.sh runs "startup open" and tcpdump on a one-packet file on both libraries in turn.
 */
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "open") == 0) {
		char errbuf[PCAP_ERRBUF_SIZE];
		pcap_t *p = pcap_open_offline(argv[2], errbuf);
		if (p == NULL) {
			fprintf(stderr, "%s\n", errbuf);
			return 1;
		}
		pcap_close(p);
		return 0;
	}
	if (argc >= 4 && strcmp(argv[1], "time") == 0) {
		int n = atoi(argv[2]);
		double *wall = calloc(n, sizeof *wall), *cpu = calloc(n, sizeof *cpu);
		if (n < 1 || wall == NULL || cpu == NULL)
			return 2;
		for (int i = 0; i < n; i++) {
			struct rusage ru;
			int status;
			double start = now();
			pid_t pid = fork();
			if (pid == 0) {
				int null = open("/dev/null", O_WRONLY);
				if (null >= 0) {
					dup2(null, 1);
					dup2(null, 2);
				}
				execvp(argv[3], argv + 3);
				_exit(127);
			}
			if (pid < 0 || wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
				return 1;
			wall[i] = (now() - start) * 1e3;
			cpu[i] = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
		}
		qsort(wall, n, sizeof *wall, by_value);
		qsort(cpu, n, sizeof *cpu, by_value);
		/* median wall ms, lowest wall ms, median CPU ms */
		printf("%.2f %.2f %.2f\n", wall[n / 2], wall[0], cpu[n / 2]);
		return 0;
	}
	return 2;
}
