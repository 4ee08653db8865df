/*
 * The unmanaged block a pcap_t points at. C entry points that signal handlers reach
 * (pcap_breakloop, pcap_stats, pcap_geterr) touch only this block and the kernel, never
 * managed code; so does pcap_inject's plain send(). Its C# twin is
 * src/Pcap.Engine/Handles/HandleBlock.cs; the static assertion below and the xunit
 * HandleBlockTests keep the two equal.
 */
#ifndef PCAP_SHIM_HANDLE_H
#define PCAP_SHIM_HANDLE_H

#include <stdint.h>

#define PCAP_HANDLE_MAGIC 0x50434150u /* "PCAP" */

struct pcap_pkthdr;

/*
 * Packets a capture module prepared (read, filtered, headers converted) that pcap_next_ex hands
 * out in C, one a call, with no entry into the engine (pcap-next-ex.c). The engine fills it and
 * takes back what is left before any other read on the handle.
 */
struct pcap_ready {
	struct pcap_pkthdr *headers;     /*  0 */
	const unsigned char **data;      /*  8 */
	int32_t next;                    /* 16 the next packet to hand out */
	int32_t count;                   /* 20 packets prepared */
};
#define PCAP_HANDLE_ERRBUF 256

/* Where pcap_stats takes its figures from. */
enum pcap_stats_source {
	PCAP_STATS_NOT_ACTIVATED = 0, /* pcap_create'd, not activated: PCAP_ERROR_NOT_ACTIVATED */
	PCAP_STATS_SAVEFILE = 1,      /* "Statistics aren't available from savefiles" */
	PCAP_STATS_DEAD = 2,          /* pcap_open_dead */
	PCAP_STATS_COUNTERS = 3,      /* ps_recv/ps_drop/ps_ifdrop kept by the capture module */
	PCAP_STATS_PACKET_SOCKET = 4, /* Linux: PACKET_STATISTICS on stats_fd, accumulated */
	PCAP_STATS_XDP = 5,           /* AF_XDP: ps_recv kept by the module, ps_drop from XDP_STATISTICS on stats_fd */
	PCAP_STATS_USBMON = 6,        /* usbmon: MON_IOCG_STATS on stats_fd, ps_recv = delivered + queued */
	PCAP_STATS_BLUETOOTH = 7,     /* Bluetooth HCI: HCIGETDEVINFO on stats_fd, device id in ifdrop_base */
};

struct pcap_handle {
	uint32_t magic;              /*   0 */
	volatile int32_t break_loop; /*   4 set by pcap_breakloop, cleared by the reader */
	int32_t wake_fd;             /*   8 eventfd written by pcap_breakloop, -1 if none */
	int32_t stats_source;        /*  12 enum pcap_stats_source */
	int32_t stats_fd;            /*  16 packet socket for PACKET_STATISTICS, -1 if none */
	int32_t promisc;             /*  20 promiscuous mode was asked for (ps_ifdrop only then) */
	uint64_t ps_recv;            /*  24 */
	uint64_t ps_drop;            /*  32 */
	uint64_t ps_ifdrop;          /*  40 */
	uint64_t ifdrop_base;        /*  48 interface drops counted at activation (Bluetooth: the HCI device id) */
	char ifname[32];             /*  56 device name for /sys/class/net/<if>/statistics */
	int64_t engine;              /*  88 GCHandle of the managed handle object */
	char errbuf[PCAP_HANDLE_ERRBUF + 8]; /* 96 */
	int32_t inject_fd;           /* 360 pcap_inject sends on it with send(), -1: the engine injects */
	int32_t padding;             /* 364 */
	struct pcap_ready *ready;    /* 368 packets pcap_next_ex hands out in C, or NULL */
};                                   /* 376 */

_Static_assert(sizeof(struct pcap_handle) == 376, "pcap_handle layout");

#endif
