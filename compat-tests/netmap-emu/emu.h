/* Internal interfaces of the /dev/netmap emulation (see README.md). */
#ifndef NETMAP_EMU_H
#define NETMAP_EMU_H

#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/un.h>
#include <time.h>
#include "netmap-abi.h"

#define EMU_SLOTS 1024
#define EMU_BUF_SIZE 2048
#define EMU_MAX_FRAME 65536
#define EMU_MAX_FD 65536

/* Ring order of ring_ofs[]: hw TX, host TX, hw RX, host RX (one of each, like the generic adapter). */
enum { R_HWTX, R_HOSTTX, R_HWRX, R_HOSTRX, R_COUNT };

enum backend { B_NIC, B_VALE, B_PIPE };

/* The kernel's private view of a ring (kring): what the user may not change. */
struct kring {
	int bound;
	uint32_t hwcur;
	uint32_t hwtail;
};

struct port {
	int fd;                 /* what the program holds: an eventfd that stands for the /dev/netmap fd */
	int bound;
	enum backend kind;
	char name[NETMAP_REQ_IFNAMSIZ];
	int memfd;
	char *mem;              /* the emulation's own mapping of the region */
	size_t memsize;
	uint16_t mem_id;
	uint32_t nbufs;
	uint64_t flags;         /* nr_flags */
	struct netmap_if *nifp;
	struct netmap_ring *ring[R_COUNT];
	struct kring kr[R_COUNT];
	int sock;               /* AF_PACKET (NIC) or AF_UNIX datagram (VALE port, pipe end) */
	int one_ring;           /* NR_REG_ONE_NIC on a NIC: hw ring pair ring_id alone */
	uint16_t ring_id;
	int ring_lock;          /* NR_EXCLUSIVE on one hw ring: the abstract socket that holds it, or -1 */
	int ifindex;
	int vale_index;         /* this port's index in its switch */
	struct vale_switch *sw;
	int sw_fd;
	char sw_name[NETMAP_REQ_IFNAMSIZ];
	struct sockaddr_un peer; /* pipes: the other end */
	int violation;          /* a ring was reinitialised since the last poll: POLLERR */
	uint64_t rx_frames, tx_frames, forwarded, host_tx_dropped, rx_dropped;
};

/* libc's own functions, found with dlsym(RTLD_NEXT). */
extern int (*real_open)(const char *, int, ...);
extern int (*real_close)(int);
extern int (*real_ioctl)(int, unsigned long, ...);
extern void *(*real_mmap)(void *, size_t, int, int, int, off_t);
extern int (*real_ppoll)(struct pollfd *, nfds_t, const struct timespec *, const sigset_t *);

struct port *emu_port(int fd);

/* port.c: registration, layout, ring syncs. */
int emu_register(struct port *p, struct nmreq_header *hdr, struct nmreq_register *reg);
int emu_port_info(struct nmreq_header *hdr, struct nmreq_port_info_get *info);
void emu_rxsync(struct port *p);
void emu_txsync(struct port *p, int only_pending);
int emu_readable(struct port *p);
int emu_writable(struct port *p);
int emu_tx_pending(struct port *p);
void emu_release(struct port *p);

/* Backends: nic.c (AF_PACKET on the Linux interface), vale.c (switch ports and pipes). */
int nic_open(struct port *p);
int vale_open(struct port *p);
int pipe_open(struct port *p);
/* Receives one frame (nonblocking): its length, or -1 when none; *host is set for frames the host stack sent. */
int backend_recv(struct port *p, unsigned char *buf, int *host);
/* Sends one frame: 0, or -1 when the link cannot take it now. */
int backend_send(struct port *p, const unsigned char *frame, int len);
int nic_exists(const char *name);
/* A NIC's hw ring pairs: its Linux RX queues (a veth made with numrxqueues N has N). */
int nic_rings(const char *name);
/* NR_EXCLUSIVE on hw ring pair p->ring_id: EBUSY while another binding, in any process, holds it. */
int nic_hold_ring(struct port *p);
void backend_close(struct port *p);

#endif
