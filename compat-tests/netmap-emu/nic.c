/*
 * A NIC port: the Linux interface of the same name, through an AF_PACKET socket. Frames the wire
 * delivers fill the hw RX ring; frames the host stack sends out (PACKET_OUTGOING) fill the host RX
 * ring; the hw TX ring goes out on the interface.
 * Hw ring pairs: one per Linux RX queue. A binding of one ring (NR_REG_ONE_NIC) stands for a NIC's
 * RSS queue: the one-ring bindings of an interface share its frames by flow (a PACKET_FANOUT hash
 * group), where a NIC would also hash frames to rings nobody binds. NR_EXCLUSIVE on one ring is held
 * across processes by an abstract unix socket named after the ring (per network namespace, gone
 * with the process); only exclusive bindings are checked against each other.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <string.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "emu.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

int nic_exists(const char *name)
{
	return if_nametoindex(name) != 0;
}

int nic_rings(const char *name)
{
	char path[128];
	snprintf(path, sizeof path, "/sys/class/net/%s/queues", name);
	DIR *d = opendir(path);
	if (d == NULL)
		return 1; /* no such interface: nic_open says ENXIO */
	int n = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		n += strncmp(e->d_name, "rx-", 3) == 0;
	closedir(d);
	return n > 0 ? n : 1;
}

int nic_hold_ring(struct port *p)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int n = snprintf(a.sun_path + 1, sizeof a.sun_path - 1, "netmap-emu.%s.ring%u", p->name, p->ring_id);
	p->ring_lock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (p->ring_lock < 0)
		return errno;
	if (bind(p->ring_lock, (struct sockaddr *)&a, (socklen_t)(sizeof a.sun_family + 1 + (size_t)n)) < 0)
		return errno == EADDRINUSE ? EBUSY : errno;
	return 0;
}

int nic_open(struct port *p)
{
	p->ifindex = (int)if_nametoindex(p->name);
	if (p->ifindex == 0)
		return ENXIO; /* netmap_get_na: no such interface */
	p->sock = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (p->sock < 0)
		return errno;
	int size = 4 << 20;
	setsockopt(p->sock, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
	if (!p->kr[R_HOSTRX].bound) {
		int one = 1;
		setsockopt(p->sock, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
	}
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = p->ifindex };
	if (bind(p->sock, (struct sockaddr *)&sll, sizeof sll) < 0)
		return errno;
	if (p->one_ring) {
		int group = (0xe000 | (p->ifindex & 0xfff)) | PACKET_FANOUT_HASH << 16;
		if (setsockopt(p->sock, SOL_PACKET, PACKET_FANOUT, &group, sizeof group) < 0)
			return errno;
	}
	return 0;
}

static int nic_recv(struct port *p, unsigned char *buf, int *host)
{
	struct sockaddr_ll from;
	socklen_t fromlen = sizeof from;
	ssize_t n = recvfrom(p->sock, buf, EMU_MAX_FRAME, MSG_DONTWAIT, (struct sockaddr *)&from, &fromlen);
	if (n < 0)
		return -1;
	*host = from.sll_pkttype == PACKET_OUTGOING;
	return (int)n;
}

static int nic_send(struct port *p, const unsigned char *frame, int len)
{
	for (;;) {
		if (send(p->sock, frame, (size_t)len, 0) >= 0)
			return 0;
		if (errno == EINTR)
			continue;
		return errno == EMSGSIZE || errno == EINVAL ? 0 : -1; /* an unsendable frame is dropped, a busy link keeps it */
	}
}

int backend_recv(struct port *p, unsigned char *buf, int *host)
{
	if (p->sock < 0)
		return -1;
	if (p->kind == B_NIC)
		return nic_recv(p, buf, host);
	*host = 0;
	ssize_t n = recv(p->sock, buf, EMU_MAX_FRAME, MSG_DONTWAIT);
	return n < 0 ? -1 : (int)n;
}

int vale_send(struct port *p, const unsigned char *frame, int len);

int backend_send(struct port *p, const unsigned char *frame, int len)
{
	if (p->kind == B_NIC)
		return nic_send(p, frame, len);
	return vale_send(p, frame, len);
}
