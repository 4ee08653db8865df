/*
 * bare-reader: the floor the live bench compares against. A TPACKET_V3 ring read as plainly as it
 * can be: poll until a block is the program's, read each packet's header and first byte, hand the
 * block back. No library, no callback. Runs until SIGINT, then prints the CPU time per packet in ns
 * (getrusage), the packets, and the kernel's drops.
 * Usage: bare-reader IFACE BLOCK_SIZE BLOCKS (libpcap's default ring: 262144 8)
 */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>

static volatile sig_atomic_t stop;
static volatile unsigned long sink; /* keeps the reads of the packets */

static void on_int(int sig)
{
	(void)sig;
	stop = 1;
}

static double cpu_ns(void)
{
	struct rusage r;
	getrusage(RUSAGE_SELF, &r);
	return (r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e9 + (r.ru_utime.tv_usec + r.ru_stime.tv_usec) * 1e3;
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	unsigned block_size = strtoul(argv[2], NULL, 10), blocks = strtoul(argv[3], NULL, 10);
	int fd = socket(AF_PACKET, SOCK_RAW, 0), version = TPACKET_V3;
	struct tpacket_req3 req = {
		.tp_block_size = block_size, .tp_block_nr = blocks, .tp_frame_size = 262144,
		.tp_frame_nr = block_size / 262144 * blocks, .tp_retire_blk_tov = 1000,
	};
	if (fd < 0 || setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version, sizeof version) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0) {
		perror("ring");
		return 1;
	}
	unsigned char *ring = mmap(NULL, (size_t)block_size * blocks, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = if_nametoindex(argv[1]) };
	if (ring == MAP_FAILED || bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0) {
		perror(argv[1]);
		return 1;
	}
	signal(SIGINT, on_int);
	fprintf(stderr, "listening\n");
	double t0 = cpu_ns();
	unsigned long packets = 0, sum = 0;
	unsigned current = 0;
	while (!stop) {
		struct tpacket_block_desc *b = (void *)(ring + (size_t)current * block_size);
		if ((__atomic_load_n(&b->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER) == 0) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			poll(&p, 1, -1);
			continue;
		}
		struct tpacket3_hdr *h = (void *)((unsigned char *)b + b->hdr.bh1.offset_to_first_pkt);
		for (unsigned i = 0; i < b->hdr.bh1.num_pkts; i++) {
			sum += ((unsigned char *)h)[h->tp_mac];
			packets++;
			h = (void *)((unsigned char *)h + h->tp_next_offset);
		}
		__atomic_store_n(&b->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		current = (current + 1) % blocks;
	}
	double t = cpu_ns() - t0;
	struct tpacket_stats_v3 st;
	socklen_t len = sizeof st;
	getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len);
	sink = sum;
	printf("%.1f %lu %u\n", packets ? t / packets : 0, packets, st.tp_drops);
	return 0;
}
