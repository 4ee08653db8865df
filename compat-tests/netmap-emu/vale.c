/*
 * VALE ports and pipes. A switch valeX is a shared-memory file /dev/shm/netmap-emu.valeX holding its
 * ports and its learning table; every port (of any process) receives on a datagram socket
 * /dev/shm/netmap-emu.valeX.N, so frames cross process and namespace boundaries. A pipe end
 * "name{id" / "name}id" sends to the other end's socket.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>
#include "emu.h"

#define VALE_PORTS 64
#define VALE_MACS 1024
#define VALE_MAGIC 0x56414c45u

struct vale_switch {
	uint32_t magic;
	struct {
		char name[NETMAP_REQ_IFNAMSIZ];
		int32_t pid;
		uint32_t used;
	} port[VALE_PORTS];
	struct {
		uint8_t mac[6];
		uint16_t port;
		uint32_t used;
	} mac[VALE_MACS];
};

static void port_path(struct sockaddr_un *a, const char *sw, int index)
{
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	snprintf(a->sun_path, sizeof a->sun_path, "/dev/shm/netmap-emu.%s.%d", sw, index);
}

static int datagram_socket(struct sockaddr_un *self)
{
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	int size = 4 << 20;
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
	setsockopt(s, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
	unlink(self->sun_path);
	if (bind(s, (struct sockaddr *)self, sizeof *self) < 0) {
		int e = errno;
		real_close(s);
		errno = e;
		return -1;
	}
	return s;
}

static int alive(int pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

int vale_open(struct port *p)
{
	const char *colon = strchr(p->name, ':');
	size_t swlen = (size_t)(colon - p->name);
	memcpy(p->sw_name, p->name, swlen);
	p->sw_name[swlen] = '\0';
	char path[128];
	snprintf(path, sizeof path, "/dev/shm/netmap-emu.%s", p->sw_name);
	p->sw_fd = real_open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (p->sw_fd < 0)
		return errno;
	flock(p->sw_fd, LOCK_EX);
	int err = 0;
	if (ftruncate(p->sw_fd, sizeof(struct vale_switch)) < 0)
		err = errno;
	struct vale_switch *sw = err ? MAP_FAILED :
		real_mmap(NULL, sizeof *sw, PROT_READ | PROT_WRITE, MAP_SHARED, p->sw_fd, 0);
	if (sw == MAP_FAILED) {
		err = err ? err : errno;
		flock(p->sw_fd, LOCK_UN);
		return err;
	}
	p->sw = sw;
	sw->magic = VALE_MAGIC;
	const char *port = colon + 1;
	int index = -1;
	for (int i = 0; i < VALE_PORTS && err == 0; i++) {
		if (sw->port[i].used && strcmp(sw->port[i].name, port) == 0) {
			if (alive(sw->port[i].pid))
				err = EBUSY; /* one binding per VALE port here */
			else
				index = i;
		}
	}
	for (int i = 0; i < VALE_PORTS && err == 0 && index < 0; i++)
		if (!sw->port[i].used || !alive(sw->port[i].pid))
			index = i;
	if (err == 0 && index < 0)
		err = ENOMEM;
	if (err == 0) {
		struct sockaddr_un self;
		port_path(&self, p->sw_name, index);
		p->sock = datagram_socket(&self);
		if (p->sock < 0) {
			err = errno;
		} else {
			p->vale_index = index;
			strncpy(sw->port[index].name, port, NETMAP_REQ_IFNAMSIZ - 1);
			sw->port[index].pid = getpid();
			sw->port[index].used = 1;
			for (int m = 0; m < VALE_MACS; m++)
				if (sw->mac[m].used && sw->mac[m].port == index)
					sw->mac[m].used = 0; /* forget what the port's previous owner taught the switch */
		}
	}
	flock(p->sw_fd, LOCK_UN);
	return err;
}

static unsigned mac_hash(const uint8_t *mac)
{
	unsigned h = 2166136261u;
	for (int i = 0; i < 6; i++)
		h = (h ^ mac[i]) * 16777619u;
	return h % VALE_MACS;
}

static int lookup(struct vale_switch *sw, const uint8_t *mac, int learn_port)
{
	unsigned h = mac_hash(mac);
	for (unsigned n = 0; n < VALE_MACS; n++, h = (h + 1) % VALE_MACS) {
		if (!sw->mac[h].used) {
			if (learn_port < 0)
				return -1;
			memcpy(sw->mac[h].mac, mac, 6);
			sw->mac[h].port = (uint16_t)learn_port;
			sw->mac[h].used = 1;
			return learn_port;
		}
		if (memcmp(sw->mac[h].mac, mac, 6) == 0) {
			if (learn_port >= 0)
				sw->mac[h].port = (uint16_t)learn_port;
			return sw->mac[h].port;
		}
	}
	return -1;
}

static void deliver(struct port *p, int index, const unsigned char *frame, int len)
{
	struct sockaddr_un to;
	port_path(&to, p->sw_name, index);
	sendto(p->sock, frame, (size_t)len, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof to); /* a full port drops */
}

int vale_send(struct port *p, const unsigned char *frame, int len)
{
	if (p->kind == B_PIPE) {
		sendto(p->sock, frame, (size_t)len, MSG_DONTWAIT, (struct sockaddr *)&p->peer, sizeof p->peer);
		return 0;
	}
	if (len < 14)
		return 0; /* the switch drops runts */
	struct vale_switch *sw = p->sw;
	if (!(frame[6] & 1))
		lookup(sw, frame + 6, p->vale_index);
	int dst = (frame[0] & 1) ? -1 : lookup(sw, frame, -1);
	if (dst == p->vale_index)
		return 0;
	if (dst >= 0 && sw->port[dst].used) {
		deliver(p, dst, frame, len);
		return 0;
	}
	for (int i = 0; i < VALE_PORTS; i++)
		if (i != p->vale_index && sw->port[i].used)
			deliver(p, i, frame, len);
	return 0;
}

static void pipe_path(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	int n = snprintf(a->sun_path, sizeof a->sun_path, "/dev/shm/netmap-emu.pipe.%s", name);
	for (int i = (int)strlen("/dev/shm/netmap-emu.pipe."); i < n && i < (int)sizeof a->sun_path; i++)
		if (a->sun_path[i] == '/')
			a->sun_path[i] = '_';
}

int pipe_open(struct port *p)
{
	struct sockaddr_un self;
	char other[NETMAP_REQ_IFNAMSIZ];
	strcpy(other, p->name);
	for (char *c = other; *c; c++)
		*c = *c == '{' ? '}' : *c == '}' ? '{' : *c;
	pipe_path(&self, p->name);
	pipe_path(&p->peer, other);
	p->sock = datagram_socket(&self);
	return p->sock < 0 ? errno : 0;
}

void backend_close(struct port *p)
{
	if (p->sock >= 0)
		real_close(p->sock);
	p->sock = -1;
	if (p->kind == B_PIPE && p->bound) {
		struct sockaddr_un self;
		pipe_path(&self, p->name);
		unlink(self.sun_path);
	}
	if (p->sw != NULL) {
		flock(p->sw_fd, LOCK_EX);
		if (p->bound && p->sw->port[p->vale_index].pid == getpid()) {
			struct sockaddr_un self;
			port_path(&self, p->sw_name, p->vale_index);
			unlink(self.sun_path);
			p->sw->port[p->vale_index].used = 0;
		}
		flock(p->sw_fd, LOCK_UN);
		munmap(p->sw, sizeof *p->sw);
		p->sw = NULL;
	}
	if (p->sw_fd >= 0)
		real_close(p->sw_fd);
	p->sw_fd = -1;
}
