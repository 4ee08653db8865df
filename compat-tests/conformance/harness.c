/* The conformance runner: registers checks, runs each in a child, reports PASS/FAIL lines. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "harness.h"

#define CHECK_TIMEOUT 20 /* seconds; a hang is a failure, never a stuck suite */

static struct check *first, **last = &first;
static int result_fd = -1;
static char scratch_dir[4400];

void register_check(struct check *c)
{
	*last = c;
	last = &c->next;
}

void fail(const char *file, int line, const char *fmt, ...)
{
	char msg[1024];
	int n = snprintf(msg, sizeof msg, "%s:%d: ", file, line);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof msg - n, fmt, ap);
	va_end(ap);
	if (write(result_fd, msg, strlen(msg)) < 0)
		_exit(3);
	_exit(1);
}

#define SKIP_STATUS 77

void skip(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (write(result_fd, msg, strlen(msg)) < 0)
		_exit(3);
	_exit(SKIP_STATUS);
}

const char *scratch(const char *name)
{
	static char paths[8][4700];
	static int next;
	char *p = paths[next++ % 8];
	snprintf(p, sizeof paths[0], "%s/%s", scratch_dir, name);
	return p;
}

long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

size_t read_bytes(const char *path, unsigned char *buf, size_t max)
{
	FILE *f = fopen(path, "rb");
	size_t n;
	if (f == NULL)
		return 0;
	n = fread(buf, 1, max, f);
	fclose(f);
	return n;
}

void write_bytes(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		fail(__FILE__, __LINE__, "cannot write %s: %s", path, strerror(errno));
}

static uint32_t order32(uint32_t v, int swapped)
{
	return swapped ? __builtin_bswap32(v) : v;
}

void write_capture(const char *path, uint32_t magic, uint32_t linktype, uint32_t snaplen,
    int n, uint32_t caplen, int swapped)
{
	FILE *f = fopen(path, "wb");
	uint32_t hdr[6];
	if (f == NULL)
		fail(__FILE__, __LINE__, "cannot write %s: %s", path, strerror(errno));
	hdr[0] = order32(magic, swapped);
	hdr[1] = swapped ? 0x04000200u : 0x00040002u; /* major 2, minor 4: two 16-bit fields */
	hdr[2] = 0;
	hdr[3] = 0;
	hdr[4] = order32(snaplen, swapped);
	hdr[5] = order32(linktype, swapped);
	fwrite(hdr, sizeof hdr, 1, f);
	for (int i = 0; i < n; i++) {
		uint32_t rec[4] = { order32(1000 + i, swapped), order32(10 * i, swapped),
			order32(caplen, swapped), order32(caplen + 4, swapped) };
		fwrite(rec, sizeof rec, 1, f);
		for (uint32_t j = 0; j < caplen; j++)
			fputc((i + j) & 0xff, f);
	}
	if (fclose(f) != 0)
		fail(__FILE__, __LINE__, "cannot write %s", path);
}

void expected_header(unsigned char out[24], uint32_t magic, uint32_t snaplen, uint32_t linktype)
{
	uint32_t h[6] = { magic, 0x00040002u, 0, 0, snaplen, linktype };
	memcpy(out, h, 24);
}

int dies_by_signal(void (*fn)(void))
{
	int status;
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		fn();
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static void run(const char *library, struct check *c, const char *base)
{
	int fds[2], status;
	char why[1024];
	ssize_t n;
	pid_t pid;

	snprintf(scratch_dir, sizeof scratch_dir, "%s/%s", base, c->name);
	mkdir(scratch_dir, 0700);
	if (pipe(fds) != 0) {
		printf("FAIL %s/%s: pipe: %s\n", library, c->name, strerror(errno));
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		result_fd = fds[1];
		alarm(CHECK_TIMEOUT);
		c->run();
		fflush(NULL);
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], why, sizeof why - 1);
	why[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		printf("PASS %s/%s\n", library, c->name);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == SKIP_STATUS)
		printf("SKIP %s/%s: %s\n", library, c->name, why);
	else if (WIFEXITED(status) && why[0])
		printf("FAIL %s/%s: %s\n", library, c->name, why);
	else if (WIFEXITED(status))
		printf("FAIL %s/%s: exited with status %d (a missing symbol exits 127)\n", library, c->name, WEXITSTATUS(status));
	else
		printf("FAIL %s/%s: killed by signal %d (%s)%s%s\n", library, c->name, WTERMSIG(status),
		    strsignal(WTERMSIG(status)), why[0] ? " after " : "", why);
	fflush(stdout);
	nftw(scratch_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* usage: conformance LIBRARY-LABEL [NAME-SUBSTRING] */
int main(int argc, char **argv)
{
	const char *library = argc > 1 ? argv[1] : "libpcap";
	const char *only = argc > 2 ? argv[2] : NULL;
	const char *tmp = getenv("TMPDIR");
	char base[4096];

	snprintf(base, sizeof base, "%s/conformance.XXXXXX", tmp ? tmp : "/tmp");
	if (mkdtemp(base) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	for (struct check *c = first; c != NULL; c = c->next)
		if (only == NULL || strstr(c->name, only) != NULL)
			run(library, c, base);
	rmdir(base);
	return 0;
}
