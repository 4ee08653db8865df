/*
 * Registration, the shared-memory layout and the ring syncs, as the netmap kernel module does them:
 * netmap_if, then the rings, then the buffers, in one region the program maps from the fd.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include "emu.h"

#define PAGE 4096
#define ROUND(x) (((x) + PAGE - 1) / PAGE * PAGE)

static uint16_t next_mem_id = 2; /* 1 is the kernel's global allocator; every emulated binding has its own region */

static size_t ring_bytes(void)
{
	return ROUND(sizeof(struct netmap_ring) + EMU_SLOTS * sizeof(struct netmap_slot));
}

static size_t buffers_offset(void)
{
	return PAGE + R_COUNT * ring_bytes();
}

static uint32_t buffer_count(void)
{
	return 2 + R_COUNT * EMU_SLOTS; /* indices 0 and 1 are reserved, as in the kernel */
}

static size_t region_size(void)
{
	return buffers_offset() + (size_t)buffer_count() * EMU_BUF_SIZE;
}

/* Which rings a mode and its flags bind (netmap_interp_ringid). */
static int bind_rings(struct port *p, struct nmreq_register *reg)
{
	int nic = 0, host = 0;
	switch (reg->nr_mode) {
	case NR_REG_ALL_NIC:
	case NR_REG_NULL:
		nic = 1;
		break;
	case NR_REG_SW:
		host = 1;
		break;
	case NR_REG_NIC_SW:
		nic = host = 1;
		break;
	case NR_REG_ONE_NIC:
		nic = 1;
		/* netmap_interp_ringid: a ring id past the last ring is EINVAL. A NIC has as many hw ring
		 * pairs as Linux RX queues; VALE ports and pipes have one here. */
		if (reg->nr_ringid >= (p->kind == B_NIC ? nic_rings(p->name) : 1))
			return EINVAL;
		p->one_ring = p->kind == B_NIC;
		p->ring_id = reg->nr_ringid;
		break;
	case NR_REG_ONE_SW:
		host = 1;
		if (reg->nr_ringid != 0)
			return EINVAL;
		break;
	default:
		return EINVAL; /* DEFAULT and the pipe modes only come through the legacy ioctl */
	}
	if (p->kind != B_NIC && host)
		return EINVAL; /* VALE ports and pipes have no host rings */
	int tx = !(reg->nr_flags & NR_RX_RINGS_ONLY), rx = !(reg->nr_flags & NR_TX_RINGS_ONLY);
	p->kr[R_HWTX].bound = nic && tx;
	p->kr[R_HOSTTX].bound = host && tx;
	p->kr[R_HWRX].bound = nic && rx;
	p->kr[R_HOSTRX].bound = host && rx;
	return 0;
}

static int make_region(struct port *p)
{
	p->memsize = region_size();
	p->memfd = memfd_create("netmap-emu", MFD_CLOEXEC);
	if (p->memfd < 0)
		return errno;
	if (ftruncate(p->memfd, (off_t)p->memsize) < 0)
		return errno;
	p->mem = real_mmap(NULL, p->memsize, PROT_READ | PROT_WRITE, MAP_SHARED, p->memfd, 0);
	if (p->mem == MAP_FAILED) {
		p->mem = NULL;
		return errno;
	}
	p->nbufs = buffer_count();
	p->nifp = (struct netmap_if *)p->mem;
	memcpy(p->nifp->ni_name, p->name, strnlen(p->name, sizeof p->nifp->ni_name - 1));
	p->nifp->ni_version = NETMAP_API;
	p->nifp->ni_tx_rings = 1;
	p->nifp->ni_rx_rings = 1;
	p->nifp->ni_host_tx_rings = 1;
	p->nifp->ni_host_rx_rings = 1;
	uint32_t buf = 2;
	for (int r = 0; r < R_COUNT; r++) {
		size_t off = PAGE + r * ring_bytes();
		struct netmap_ring *ring = (struct netmap_ring *)(p->mem + off);
		ring->buf_ofs = (int64_t)buffers_offset() - (int64_t)off;
		ring->num_slots = EMU_SLOTS;
		ring->nr_buf_size = EMU_BUF_SIZE;
		ring->ringid = (r == R_HWTX || r == R_HWRX) ? p->ring_id : 0;
		ring->dir = r >= R_HWRX;
		for (uint32_t s = 0; s < EMU_SLOTS; s++)
			ring->slot[s].buf_idx = buf++;
		if (ring->dir == 0) {
			/* TX: every slot but one is free for the user. */
			ring->tail = EMU_SLOTS - 1;
			p->kr[r].hwtail = EMU_SLOTS - 1;
		}
		p->ring[r] = ring;
		p->nifp->ring_ofs[r] = p->kr[r].bound ? (int64_t)off : 0;
	}
	return 0;
}

static int parse_name(struct port *p, const char *name)
{
	if (name[0] == '\0')
		return EINVAL;
	strncpy(p->name, name, sizeof p->name - 1);
	if (strncmp(name, "vale", 4) == 0) {
		const char *colon = strchr(name, ':');
		if (colon == NULL || colon[1] == '\0')
			return EINVAL;
		p->kind = B_VALE;
		return 0;
	}
	p->kind = (strchr(name, '{') || strchr(name, '}')) ? B_PIPE : B_NIC;
	return 0;
}

int emu_register(struct port *p, struct nmreq_header *hdr, struct nmreq_register *reg)
{
	if (p->bound)
		return EBUSY;
	if (reg->nr_flags & (NR_MONITOR_TX | NR_MONITOR_RX | NR_ZCOPY_MON))
		return EOPNOTSUPP; /* monitors are not emulated */
	int err = parse_name(p, hdr->nr_name);
	if (err == 0)
		err = bind_rings(p, reg);
	if (err == 0 && p->one_ring && (reg->nr_flags & NR_EXCLUSIVE))
		err = nic_hold_ring(p);
	if (err == 0)
		err = make_region(p);
	if (err == 0)
		err = p->kind == B_NIC ? nic_open(p) : p->kind == B_VALE ? vale_open(p) : pipe_open(p);
	if (err != 0) {
		emu_release(p);
		memset(p->kr, 0, sizeof p->kr);
		p->one_ring = 0;
		return err;
	}
	p->flags = reg->nr_flags;
	p->mem_id = next_mem_id++;
	p->bound = 1;
	reg->nr_offset = 0;
	reg->nr_memsize = p->memsize;
	reg->nr_tx_slots = reg->nr_rx_slots = EMU_SLOTS;
	reg->nr_tx_rings = reg->nr_rx_rings = 1;
	reg->nr_host_tx_rings = reg->nr_host_rx_rings = p->kind == B_NIC ? 1 : 0;
	reg->nr_mem_id = p->mem_id;
	reg->nr_extra_bufs = 0;
	return 0;
}

int emu_port_info(struct nmreq_header *hdr, struct nmreq_port_info_get *info)
{
	struct port probe = { .fd = -1 };
	int err = parse_name(&probe, hdr->nr_name);
	if (err != 0)
		return err;
	if (probe.kind == B_NIC && nic_exists(probe.name) == 0)
		return ENXIO;
	memset(info, 0, sizeof *info);
	info->nr_memsize = region_size();
	info->nr_tx_slots = info->nr_rx_slots = EMU_SLOTS;
	info->nr_tx_rings = info->nr_rx_rings = 1;
	info->nr_host_tx_rings = info->nr_host_rx_rings = probe.kind == B_NIC ? 1 : 0;
	info->nr_mem_id = next_mem_id;
	return 0;
}

/* NETMAP_EMU_STATS=FILE: one line per binding at close, so tests can see what the emulated kernel did. */
static void report(struct port *p)
{
	const char *path = getenv("NETMAP_EMU_STATS");
	if (path == NULL || !p->bound)
		return;
	int fd = real_open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	dprintf(fd, "%s rx=%llu tx=%llu forwarded=%llu host_tx_dropped=%llu rx_dropped=%llu\n", p->name,
		(unsigned long long)p->rx_frames, (unsigned long long)p->tx_frames, (unsigned long long)p->forwarded,
		(unsigned long long)p->host_tx_dropped, (unsigned long long)p->rx_dropped);
	real_close(fd);
}

void emu_release(struct port *p)
{
	report(p);
	backend_close(p);
	if (p->mem != NULL)
		munmap(p->mem, p->memsize);
	if (p->memfd >= 0)
		real_close(p->memfd);
	p->mem = NULL;
	p->memfd = -1;
	if (p->ring_lock >= 0)
		real_close(p->ring_lock);
	p->ring_lock = -1;
	p->bound = 0;
}

static uint32_t next(uint32_t i)
{
	return i + 1 == EMU_SLOTS ? 0 : i + 1;
}

static uint32_t dist(uint32_t from, uint32_t to)
{
	return to >= from ? to - from : to + EMU_SLOTS - from;
}

/*
 * nm_{rx,tx}sync_prologue: head must lie in [hwcur, hwtail], cur in [head, hwtail]. Otherwise the
 * ring is reinitialised from the kernel's view (packets the user held are lost) and poll says POLLERR.
 */
static int prologue(struct port *p, int r)
{
	struct netmap_ring *ring = p->ring[r];
	struct kring *k = &p->kr[r];
	uint32_t head = ring->head, cur = ring->cur, span = dist(k->hwcur, k->hwtail);
	if (head < EMU_SLOTS && cur < EMU_SLOTS && dist(k->hwcur, head) <= span && dist(head, cur) <= dist(head, k->hwtail))
		return 1;
	ring->head = ring->cur = k->hwcur;
	ring->tail = k->hwtail;
	p->violation = 1;
	return 0;
}

static unsigned char *slot_buffer(struct port *p, int r, struct netmap_slot *s)
{
	if (s->buf_idx < 2 || s->buf_idx >= p->nbufs)
		return NULL;
	return (unsigned char *)p->ring[r] + p->ring[r]->buf_ofs + (size_t)s->buf_idx * EMU_BUF_SIZE;
}

static uint32_t rx_space(struct kring *k)
{
	return dist(k->hwtail, k->hwcur) == 0 ? EMU_SLOTS - 1 : dist(k->hwtail, k->hwcur) - 1;
}

/* Puts one frame in [hwtail, hwcur - 1), split into NS_MOREFRAG slots of nr_buf_size; 0 if it does not fit. */
static int place(struct port *p, int r, const unsigned char *frame, int len)
{
	struct kring *k = &p->kr[r];
	uint32_t frags = len == 0 ? 1 : (uint32_t)(len + EMU_BUF_SIZE - 1) / EMU_BUF_SIZE;
	if (rx_space(k) < frags)
		return 0;
	for (uint32_t f = 0; f < frags; f++) {
		struct netmap_slot *s = &p->ring[r]->slot[k->hwtail];
		unsigned char *buf = slot_buffer(p, r, s);
		int n = len - (int)f * EMU_BUF_SIZE;
		if (n > EMU_BUF_SIZE)
			n = EMU_BUF_SIZE;
		if (buf != NULL)
			memcpy(buf, frame + f * EMU_BUF_SIZE, (size_t)n);
		s->len = (uint16_t)(buf != NULL ? n : 0);
		s->flags = f + 1 < frags ? NS_MOREFRAG : 0;
		k->hwtail = next(k->hwtail);
	}
	return 1;
}

void emu_rxsync(struct port *p)
{
	static unsigned char frame[EMU_MAX_FRAME];
	int any = 0;
	for (int r = R_HWRX; r <= R_HOSTRX; r++) {
		if (!p->kr[r].bound || !prologue(p, r))
			continue;
		struct netmap_ring *ring = p->ring[r];
		struct kring *k = &p->kr[r];
		/* Released slots marked NS_FORWARD on an NR_FORWARD ring go to the other side (netmap_sw_to_nic/nic_to_host). */
		for (uint32_t i = k->hwcur; i != ring->head; i = next(i)) {
			if ((ring->flags & NR_FORWARD) && (ring->slot[i].flags & NS_FORWARD))
				p->forwarded++;
			ring->slot[i].flags &= (uint16_t)~NS_FORWARD;
		}
		k->hwcur = ring->head;
		any = 1;
	}
	int len, host;
	while ((len = backend_recv(p, frame, &host)) >= 0) {
		int r = host ? R_HOSTRX : R_HWRX;
		if (p->kr[r].bound && place(p, r, frame, len))
			p->rx_frames++;
		else
			p->rx_dropped++; /* ring full or not bound: the adapter drops it */
	}
	if (!any)
		return;
	struct timeval now;
	gettimeofday(&now, NULL);
	for (int r = R_HWRX; r <= R_HOSTRX; r++) {
		if (!p->kr[r].bound)
			continue;
		p->ring[r]->tail = p->kr[r].hwtail;
		p->ring[r]->ts_sec = now.tv_sec;
		p->ring[r]->ts_usec = now.tv_usec;
	}
}

void emu_txsync(struct port *p, int only_pending)
{
	static unsigned char frame[EMU_MAX_FRAME];
	for (int r = R_HWTX; r <= R_HOSTTX; r++) {
		if (!p->kr[r].bound)
			continue;
		struct netmap_ring *ring = p->ring[r];
		struct kring *k = &p->kr[r];
		if (only_pending && ring->head == k->hwcur)
			continue;
		if (!prologue(p, r))
			continue;
		int len = 0;
		uint32_t start = k->hwcur, i;
		for (i = k->hwcur; i != ring->head; i = next(i)) {
			struct netmap_slot *s = &ring->slot[i];
			unsigned char *buf = slot_buffer(p, r, s);
			if (buf != NULL && s->len <= EMU_BUF_SIZE && len + s->len <= EMU_MAX_FRAME) {
				memcpy(frame + len, buf, s->len);
				len += s->len;
			}
			if (s->flags & NS_MOREFRAG)
				continue;
			if (r == R_HWTX) {
				/* A link that cannot send (down) keeps its frames: the ring stays full, as on a NIC. */
				if (backend_send(p, frame, len) < 0)
					break;
				p->tx_frames++;
			} else {
				p->host_tx_dropped++; /* the host stack cannot be fed from user space */
			}
			for (uint32_t j = start; j != next(i); j = next(j))
				ring->slot[j].flags &= (uint16_t)~NS_BUF_CHANGED;
			start = next(i);
			len = 0;
		}
		k->hwcur = start;
		/* Sent slots are free again at once (completion is immediate). */
		k->hwtail = k->hwcur == 0 ? EMU_SLOTS - 1 : k->hwcur - 1;
		ring->tail = k->hwtail;
	}
}

int emu_readable(struct port *p)
{
	for (int r = R_HWRX; r <= R_HOSTRX; r++)
		if (p->kr[r].bound && p->ring[r]->cur != p->ring[r]->tail)
			return 1;
	return 0;
}

int emu_writable(struct port *p)
{
	for (int r = R_HWTX; r <= R_HOSTTX; r++)
		if (p->kr[r].bound && p->ring[r]->cur != p->ring[r]->tail)
			return 1;
	return 0;
}

int emu_tx_pending(struct port *p)
{
	for (int r = R_HWTX; r <= R_HOSTTX; r++)
		if (p->kr[r].bound && p->ring[r]->head != p->kr[r].hwcur)
			return 1;
	return 0;
}
