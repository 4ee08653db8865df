/*
 * The netmap user ABI (NETMAP_API 14, Linux x86-64) as far as the emulation answers it.
 * Written from ../shared/docs/netmap-and-linux-facts.md section 1; the static asserts pin
 * every offset the capture module relies on.
 */
#ifndef NETMAP_EMU_ABI_H
#define NETMAP_EMU_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

#define NETMAP_API 14
#define NETMAP_MAX_API 15

#define NIOCCTRL   0xC0586997UL
#define NIOCTXSYNC 0x00006994UL
#define NIOCRXSYNC 0x00006995UL

#define NETMAP_REQ_IFNAMSIZ 64
#define NETMAP_REQ_REGISTER 1
#define NETMAP_REQ_PORT_INFO_GET 2

#define NR_REG_DEFAULT 0
#define NR_REG_ALL_NIC 1
#define NR_REG_SW 2
#define NR_REG_NIC_SW 3
#define NR_REG_ONE_NIC 4
#define NR_REG_PIPE_MASTER 5
#define NR_REG_PIPE_SLAVE 6
#define NR_REG_NULL 7
#define NR_REG_ONE_SW 8

#define NR_MONITOR_TX 0x100ULL
#define NR_MONITOR_RX 0x200ULL
#define NR_ZCOPY_MON 0x400ULL
#define NR_EXCLUSIVE 0x800ULL
#define NR_RX_RINGS_ONLY 0x2000ULL
#define NR_TX_RINGS_ONLY 0x4000ULL
#define NR_NO_TX_POLL 0x20000ULL

#define NR_TIMESTAMP 0x2
#define NR_FORWARD 0x4

#define NS_BUF_CHANGED 0x1
#define NS_FORWARD 0x4
#define NS_MOREFRAG 0x20

struct nmreq_header {
	uint16_t nr_version;
	uint16_t nr_reqtype;
	uint32_t nr_reserved;
	char nr_name[NETMAP_REQ_IFNAMSIZ];
	uint64_t nr_options;
	uint64_t nr_body;
};

struct nmreq_register {
	uint64_t nr_offset;
	uint64_t nr_memsize;
	uint32_t nr_tx_slots;
	uint32_t nr_rx_slots;
	uint16_t nr_tx_rings;
	uint16_t nr_rx_rings;
	uint16_t nr_host_tx_rings;
	uint16_t nr_host_rx_rings;
	uint16_t nr_mem_id;
	uint16_t nr_ringid;
	uint32_t nr_mode;
	uint32_t nr_extra_bufs;
	uint64_t nr_flags;
};

struct nmreq_port_info_get {
	uint64_t nr_memsize;
	uint32_t nr_tx_slots;
	uint32_t nr_rx_slots;
	uint16_t nr_tx_rings;
	uint16_t nr_rx_rings;
	uint16_t nr_host_tx_rings;
	uint16_t nr_host_rx_rings;
	uint16_t nr_mem_id;
	uint16_t pad[3];
};

struct netmap_if {
	char ni_name[16];
	uint32_t ni_version;
	uint32_t ni_flags;
	uint32_t ni_tx_rings;
	uint32_t ni_rx_rings;
	uint32_t ni_bufs_head;
	uint32_t ni_host_tx_rings;
	uint32_t ni_host_rx_rings;
	uint32_t ni_spare1[3];
	int64_t ring_ofs[];
};

struct netmap_slot {
	uint32_t buf_idx;
	uint16_t len;
	uint16_t flags;
	uint64_t ptr;
};

struct netmap_ring {
	int64_t buf_ofs;
	uint32_t num_slots;
	uint32_t nr_buf_size;
	uint16_t ringid;
	uint16_t dir;
	uint32_t head;
	uint32_t cur;
	uint32_t tail;
	uint32_t flags;
	uint32_t pad0;
	int64_t ts_sec;
	int64_t ts_usec;
	uint64_t offset_mask;
	uint64_t buf_align;
	char pad1[56];
	char sem[128];
	struct netmap_slot slot[];
};

_Static_assert(sizeof(struct nmreq_header) == 88, "nmreq_header");
_Static_assert(offsetof(struct nmreq_header, nr_name) == 8, "nr_name");
_Static_assert(offsetof(struct nmreq_header, nr_options) == 72, "nr_options");
_Static_assert(offsetof(struct nmreq_header, nr_body) == 80, "nr_body");
_Static_assert(sizeof(struct nmreq_register) == 56, "nmreq_register");
_Static_assert(offsetof(struct nmreq_register, nr_mode) == 36, "nr_mode");
_Static_assert(offsetof(struct nmreq_register, nr_extra_bufs) == 40, "nr_extra_bufs");
_Static_assert(offsetof(struct nmreq_register, nr_flags) == 48, "nr_flags");
_Static_assert(sizeof(struct nmreq_port_info_get) == 32, "nmreq_port_info_get");
_Static_assert(offsetof(struct nmreq_port_info_get, nr_mem_id) == 24, "pi mem_id");
_Static_assert(offsetof(struct netmap_if, ring_ofs) == 56, "ring_ofs");
_Static_assert(sizeof(struct netmap_slot) == 16, "netmap_slot");
_Static_assert(offsetof(struct netmap_ring, head) == 20, "head");
_Static_assert(offsetof(struct netmap_ring, flags) == 32, "flags");
_Static_assert(offsetof(struct netmap_ring, ts_sec) == 40, "ts");
_Static_assert(offsetof(struct netmap_ring, offset_mask) == 56, "offset_mask");
_Static_assert(offsetof(struct netmap_ring, sem) == 128, "sem");
_Static_assert(offsetof(struct netmap_ring, slot) == 256, "slot");

#endif
