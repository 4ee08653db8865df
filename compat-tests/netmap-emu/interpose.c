/*
 * The system calls a netmap program makes on /dev/netmap, answered in user space. Every other
 * file descriptor (the program's own and the .NET runtime's) goes straight to libc.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "emu.h"

int (*real_open)(const char *, int, ...);
int (*real_close)(int);
int (*real_ioctl)(int, unsigned long, ...);
void *(*real_mmap)(void *, size_t, int, int, int, off_t);
int (*real_ppoll)(struct pollfd *, nfds_t, const struct timespec *, const sigset_t *);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_poll)(struct pollfd *, nfds_t, int);
static int (*real_select)(int, fd_set *, fd_set *, fd_set *, struct timeval *);

static struct port *ports[EMU_MAX_FD];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((constructor)) static void resolve(void)
{
	real_open = dlsym(RTLD_NEXT, "open");
	real_openat = dlsym(RTLD_NEXT, "openat");
	real_close = dlsym(RTLD_NEXT, "close");
	real_ioctl = dlsym(RTLD_NEXT, "ioctl");
	real_mmap = dlsym(RTLD_NEXT, "mmap");
	real_poll = dlsym(RTLD_NEXT, "poll");
	real_ppoll = dlsym(RTLD_NEXT, "ppoll");
	real_select = dlsym(RTLD_NEXT, "select");
}

struct port *emu_port(int fd)
{
	return fd >= 0 && fd < EMU_MAX_FD ? ports[fd] : NULL;
}

static int is_netmap(const char *path)
{
	return path != NULL && strcmp(path, "/dev/netmap") == 0;
}

static int open_netmap(int flags)
{
	if ((flags & O_ACCMODE) != O_RDWR) {
		errno = EACCES; /* the device is 0600 and a port needs read and write */
		return -1;
	}
	int fd = eventfd(0, EFD_NONBLOCK | ((flags & O_CLOEXEC) ? EFD_CLOEXEC : 0));
	if (fd < 0)
		return -1;
	if (fd >= EMU_MAX_FD) {
		real_close(fd);
		errno = EMFILE;
		return -1;
	}
	struct port *p = calloc(1, sizeof *p);
	p->fd = fd;
	p->sock = p->memfd = p->sw_fd = p->ring_lock = -1;
	pthread_mutex_lock(&lock);
	ports[fd] = p;
	pthread_mutex_unlock(&lock);
	return fd;
}

static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = mode_arg(flags, ap);
	va_end(ap);
	return is_netmap(path) ? open_netmap(flags) : real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int __open_2(const char *path, int flags)
{
	return open(path, flags);
}

int __open64_2(const char *path, int flags) __attribute__((alias("__open_2")));

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = mode_arg(flags, ap);
	va_end(ap);
	return is_netmap(path) ? open_netmap(flags) : real_openat(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...) __attribute__((alias("openat")));

int close(int fd)
{
	struct port *p = emu_port(fd);
	if (p != NULL) {
		pthread_mutex_lock(&lock);
		ports[fd] = NULL;
		pthread_mutex_unlock(&lock);
		emu_release(p);
		free(p);
	}
	return real_close(fd);
}

static int ctrl(struct port *p, struct nmreq_header *hdr)
{
	if (hdr == NULL || hdr->nr_body == 0) {
		errno = EINVAL;
		return -1;
	}
	if (hdr->nr_version < NETMAP_API || hdr->nr_version > NETMAP_MAX_API) {
		hdr->nr_version = NETMAP_API;
		errno = EINVAL;
		return -1;
	}
	hdr->nr_name[NETMAP_REQ_IFNAMSIZ - 1] = '\0';
	if (hdr->nr_options != 0) {
		errno = EOPNOTSUPP; /* no request options (extmem, offsets, CSB) in the emulation */
		return -1;
	}
	int err;
	switch (hdr->nr_reqtype) {
	case NETMAP_REQ_REGISTER:
		err = emu_register(p, hdr, (struct nmreq_register *)(uintptr_t)hdr->nr_body);
		break;
	case NETMAP_REQ_PORT_INFO_GET:
		err = emu_port_info(hdr, (struct nmreq_port_info_get *)(uintptr_t)hdr->nr_body);
		break;
	default:
		err = EOPNOTSUPP; /* VALE management, pools info, kloop, CSB: not emulated */
		break;
	}
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	va_start(ap, request);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	struct port *p = emu_port(fd);
	if (p == NULL)
		return real_ioctl(fd, request, arg);
	int r = 0;
	pthread_mutex_lock(&lock);
	if (request == NIOCCTRL) {
		r = ctrl(p, arg);
	} else if (request == NIOCRXSYNC || request == NIOCTXSYNC) {
		if (!p->bound) {
			errno = ENXIO;
			r = -1;
		} else if (request == NIOCRXSYNC) {
			emu_rxsync(p);
		} else {
			emu_txsync(p, 0);
		}
	} else if (request == FIONBIO) {
		r = real_ioctl(fd, request, arg);
	} else {
		errno = ENOTTY;
		r = -1;
	}
	pthread_mutex_unlock(&lock);
	return r;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	struct port *p = emu_port(fd);
	if (p == NULL)
		return real_mmap(addr, len, prot, flags, fd, off);
	if (!p->bound) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	return real_mmap(addr, len, prot, flags, p->memfd, off);
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off) __attribute__((alias("mmap")));

/* netmap_poll: syncs the bound rings, then reports what is ready; never blocks. */
static short port_events(struct port *p, short events)
{
	short revents = 0;
	if (!p->bound)
		return POLLERR;
	if ((events & POLLOUT) || (!(p->flags & NR_NO_TX_POLL) && emu_tx_pending(p)))
		emu_txsync(p, !(events & POLLOUT));
	if (events & POLLIN)
		emu_rxsync(p);
	if ((events & POLLIN) && emu_readable(p))
		revents |= POLLIN;
	if ((events & POLLOUT) && emu_writable(p))
		revents |= POLLOUT;
	if (p->violation) {
		p->violation = 0;
		revents |= POLLERR;
	}
	return revents;
}

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/*
 * poll over a mix of emulated and ordinary fds: sync and check the emulated ones; while none is
 * ready, wait in the real ppoll on the ordinary fds and the emulated ports' sockets (a frame on the
 * socket is what makes a ring non-empty), then check again.
 */
static int emu_poll(struct pollfd *fds, nfds_t n, long long timeout_ms, const sigset_t *mask)
{
	struct pollfd *real = calloc(n ? n : 1, sizeof *real);
	long long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	int result;
	for (;;) {
		int ready = 0;
		pthread_mutex_lock(&lock);
		for (nfds_t i = 0; i < n; i++) {
			struct port *p = emu_port(fds[i].fd);
			real[i] = fds[i];
			if (p == NULL)
				continue;
			fds[i].revents = port_events(p, fds[i].events);
			ready += fds[i].revents != 0;
			real[i].fd = p->bound ? p->sock : -1;
			real[i].events = fds[i].events & POLLIN; /* only a wait for frames needs the socket */
		}
		pthread_mutex_unlock(&lock);
		long long left = deadline < 0 ? -1 : deadline - now_ms();
		if (left < 0 && deadline >= 0)
			left = 0;
		struct timespec ts = { ready ? 0 : left / 1000, ready ? 0 : (left % 1000) * 1000000 };
		int r = real_ppoll(real, n, (ready || left >= 0) ? &ts : NULL, mask);
		if (r < 0) {
			result = ready ? ready : -1;
			break;
		}
		int other = 0;
		for (nfds_t i = 0; i < n; i++) {
			if (emu_port(fds[i].fd) != NULL)
				continue;
			fds[i].revents = real[i].revents;
			other += real[i].revents != 0;
		}
		if (ready || other) {
			result = ready + other;
			break;
		}
		if (r == 0 && deadline >= 0 && now_ms() >= deadline) {
			result = 0;
			break;
		}
	}
	free(real);
	return result;
}

static int any_emulated(struct pollfd *fds, nfds_t n)
{
	for (nfds_t i = 0; i < n; i++)
		if (emu_port(fds[i].fd) != NULL)
			return 1;
	return 0;
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	if (!any_emulated(fds, n))
		return real_poll(fds, n, timeout);
	return emu_poll(fds, n, timeout, NULL);
}

int __poll_chk(struct pollfd *fds, nfds_t n, int timeout, size_t len)
{
	(void)len;
	return poll(fds, n, timeout);
}

int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *t, const sigset_t *mask)
{
	if (!any_emulated(fds, n))
		return real_ppoll(fds, n, t, mask);
	return emu_poll(fds, n, t ? t->tv_sec * 1000LL + t->tv_nsec / 1000000 : -1, mask);
}

int select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
	int emulated = 0;
	for (int fd = 0; fd < nfds && !emulated; fd++)
		emulated = emu_port(fd) != NULL && ((rd && FD_ISSET(fd, rd)) || (wr && FD_ISSET(fd, wr)));
	if (!emulated)
		return real_select(nfds, rd, wr, ex, tv);
	struct pollfd *fds = calloc(nfds ? nfds : 1, sizeof *fds);
	nfds_t n = 0;
	for (int fd = 0; fd < nfds; fd++) {
		short ev = (rd && FD_ISSET(fd, rd) ? POLLIN : 0) | (wr && FD_ISSET(fd, wr) ? POLLOUT : 0) |
			(ex && FD_ISSET(fd, ex) ? POLLPRI : 0);
		if (ev)
			fds[n++] = (struct pollfd){ fd, ev, 0 };
	}
	int r = emu_poll(fds, n, tv ? tv->tv_sec * 1000LL + tv->tv_usec / 1000 : -1, NULL);
	if (r >= 0) {
		r = 0;
		if (rd) FD_ZERO(rd);
		if (wr) FD_ZERO(wr);
		if (ex) FD_ZERO(ex);
		for (nfds_t i = 0; i < n; i++) {
			short re = fds[i].revents;
			if (rd && (re & (POLLIN | POLLHUP | POLLERR)) && (fds[i].events & POLLIN)) { FD_SET(fds[i].fd, rd); r++; }
			if (wr && (re & (POLLOUT | POLLERR)) && (fds[i].events & POLLOUT)) { FD_SET(fds[i].fd, wr); r++; }
			if (ex && (re & POLLPRI)) { FD_SET(fds[i].fd, ex); r++; }
		}
	}
	free(fds);
	return r;
}
