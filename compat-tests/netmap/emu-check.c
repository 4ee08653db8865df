/*
 * The emulation's own check (run with libnetmap-emu.so preloaded): registration errors, the
 * layout a program sees, a VALE frame from one port to another (also one that needs NS_MOREFRAG
 * slots), and POLLERR when the user breaks the head/cur rules. Prints PASS/FAIL lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <unistd.h>
#include "netmap-abi.h"

static int failures;

static void check(const char *name, int ok, const char *why)
{
	printf(ok ? "PASS netmap-emu-%s\n" : "FAIL netmap-emu-%s: %s\n", name, why);
	failures += !ok;
}

struct bound {
	int fd;
	char *mem;
	struct netmap_if *nifp;
	struct nmreq_register reg;
};

static int reg(struct bound *b, const char *name, uint32_t mode, uint16_t version)
{
	struct nmreq_header hdr;
	memset(&hdr, 0, sizeof hdr);
	memset(&b->reg, 0, sizeof b->reg);
	b->fd = open("/dev/netmap", O_RDWR);
	if (b->fd < 0)
		return errno;
	hdr.nr_version = version;
	hdr.nr_reqtype = NETMAP_REQ_REGISTER;
	snprintf(hdr.nr_name, sizeof hdr.nr_name, "%s", name);
	hdr.nr_body = (uintptr_t)&b->reg;
	b->reg.nr_mode = mode;
	if (ioctl(b->fd, NIOCCTRL, &hdr) < 0)
		return errno;
	b->mem = mmap(NULL, b->reg.nr_memsize, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, 0);
	if (b->mem == MAP_FAILED)
		return errno;
	b->nifp = (struct netmap_if *)(b->mem + b->reg.nr_offset);
	return 0;
}

static struct netmap_ring *ring(struct bound *b, int rx)
{
	int i = rx ? (int)(b->nifp->ni_tx_rings + b->nifp->ni_host_tx_rings) : 0;
	return (struct netmap_ring *)((char *)b->nifp + b->nifp->ring_ofs[i]);
}

static unsigned char *buffer(struct netmap_ring *r, uint32_t idx)
{
	return (unsigned char *)r + r->buf_ofs + (size_t)idx * r->nr_buf_size;
}

static void send_frame(struct bound *b, int len, unsigned char fill)
{
	struct netmap_ring *tx = ring(b, 0);
	int off = 0;
	do {
		struct netmap_slot *s = &tx->slot[tx->head];
		int n = len - off > (int)tx->nr_buf_size ? (int)tx->nr_buf_size : len - off;
		unsigned char *buf = buffer(tx, s->buf_idx);
		memset(buf, fill, (size_t)n);
		if (off == 0) {
			memset(buf, 0xff, 6); /* broadcast: the switch floods it */
			memcpy(buf + 6, "\x02\x00\x00\x00\x00\x01", 6);
		}
		s->len = (uint16_t)n;
		off += n;
		s->flags = off < len ? NS_MOREFRAG : 0;
		tx->head = tx->cur = tx->head + 1 == tx->num_slots ? 0 : tx->head + 1;
	} while (off < len);
	ioctl(b->fd, NIOCTXSYNC, NULL);
}

int main(void)
{
	char sw[32], a[48], bname[48];
	snprintf(sw, sizeof sw, "valec%d", (int)getpid());
	snprintf(a, sizeof a, "%s:a", sw);
	snprintf(bname, sizeof bname, "%s:b", sw);

	struct bound x, y, z;
	check("no-such-interface-enxio", reg(&z, "nmemu-none0", NR_REG_ALL_NIC, 14) == ENXIO, "expected ENXIO");
	close(z.fd);
	check("mode-default-einval", reg(&z, a, NR_REG_DEFAULT, 14) == EINVAL, "expected EINVAL");
	close(z.fd);
	check("api-13-einval", reg(&z, a, NR_REG_ALL_NIC, 13) == EINVAL, "expected EINVAL");
	close(z.fd);
	z.fd = open("/dev/netmap", O_RDWR);
	check("sync-unbound-enxio", ioctl(z.fd, NIOCRXSYNC, NULL) < 0 && errno == ENXIO, "expected ENXIO");
	close(z.fd);

	/* PORT_INFO_GET needs no binding: what a REGISTER of that port would give. */
	struct nmreq_header ih;
	struct nmreq_port_info_get info;
	memset(&ih, 0, sizeof ih);
	memset(&info, 0, sizeof info);
	ih.nr_version = 14;
	ih.nr_reqtype = NETMAP_REQ_PORT_INFO_GET;
	snprintf(ih.nr_name, sizeof ih.nr_name, "%s", a);
	ih.nr_body = (uintptr_t)&info;
	z.fd = open("/dev/netmap", O_RDWR);
	int ir = ioctl(z.fd, NIOCCTRL, &ih);
	check("port-info-get", ir == 0 && info.nr_memsize > 0 && info.nr_rx_rings == 1 && info.nr_tx_rings == 1 &&
		info.nr_rx_slots > 0, "no port information");
	snprintf(ih.nr_name, sizeof ih.nr_name, "nmemu-none0");
	check("port-info-get-enxio", ioctl(z.fd, NIOCCTRL, &ih) < 0 && errno == ENXIO, "expected ENXIO");
	close(z.fd);

	int ea = reg(&x, a, NR_REG_ALL_NIC, 14), eb = reg(&y, bname, NR_REG_ALL_NIC, 14);
	check("vale-register", ea == 0 && eb == 0, strerror(ea ? ea : eb));
	if (ea || eb)
		return 1;
	check("layout", x.nifp->ni_tx_rings == 1 && x.nifp->ni_rx_rings == 1 && ring(&x, 0)->dir == 0 &&
		ring(&x, 1)->dir == 1 && ring(&x, 1)->num_slots == x.reg.nr_rx_slots && x.reg.nr_memsize > 0,
		"netmap_if or rings not where the ABI puts them");

	send_frame(&x, 100, 0xab);
	struct pollfd pfd = { y.fd, POLLIN, 0 };
	int r = poll(&pfd, 1, 2000);
	struct netmap_ring *rx = ring(&y, 1);
	unsigned char *data = buffer(rx, rx->slot[rx->cur].buf_idx);
	check("vale-frame-crosses", r == 1 && (pfd.revents & POLLIN) && rx->tail == rx->cur + 1 &&
		rx->slot[rx->cur].len == 100 && data[99] == 0xab && data[0] == 0xff, "frame not received intact");
	rx->head = rx->cur = rx->tail;

	send_frame(&x, 3000, 0xcd);
	r = poll(&pfd, 1, 2000);
	uint32_t c = rx->cur, n = c + 1 == rx->num_slots ? 0 : c + 1;
	check("vale-morefrag", r == 1 && rx->slot[c].flags == NS_MOREFRAG && rx->slot[c].len == 2048 &&
		rx->slot[n].flags == 0 && rx->slot[n].len == 952, "3000-byte frame not split 2048 + 952");
	rx->head = rx->cur = rx->tail;

	pfd.revents = 0;
	r = poll(&pfd, 1, 0);
	check("poll-empty-times-out", r == 0, "empty ring reported readable");

	send_frame(&x, 60, 0xef);
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(y.fd, &rd);
	struct timeval tv = { 2, 0 };
	r = select(y.fd + 1, &rd, NULL, NULL, &tv);
	check("select-readable", r == 1 && FD_ISSET(y.fd, &rd) && rx->cur != rx->tail, "select did not report the frame");
	rx->head = rx->cur = rx->tail;
	poll(&pfd, 1, 0); /* hands the slots back */

	rx->head = rx->tail + 5 >= rx->num_slots ? 0 : rx->tail + 5;
	r = poll(&pfd, 1, 0);
	check("head-violation-pollerr", r == 1 && (pfd.revents & POLLERR) && rx->head == rx->tail,
		"head beyond tail not refused");

	close(x.fd);
	close(y.fd);
	char path[64];
	snprintf(path, sizeof path, "/dev/shm/netmap-emu.%s", sw);
	unlink(path);
	return failures != 0;
}
