/*
 * sender: puts known frames on an interface through an AF_PACKET socket, for the live tests and
 * the live bench. Frames are Ethernet/IPv4/UDP from 02:00:00:00:00:01 10.77.0.1 to
 * 02:00:00:00:00:02 10.77.0.2, destination port alternating 7000/7001, the frame number in the
 * payload; every frame is exactly SIZE bytes.
 * Usage: sender IFACE COUNT [SIZE] [BATCH] [VLAN]
 *   BATCH > 1 sends with sendmmsg in batches (full rate, for the bench); it prints frames/s.
 *   VLAN puts an 802.1Q tag with that VLAN id after the addresses (this kernel has no VLAN
 *   devices; the receiving side's stack takes the tag out into the packet's metadata all the same).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint16_t checksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void build(uint8_t *f, int size, unsigned seq, int vlan)
{
	if (vlan > 0) {
		build(f + 4, size - 4, seq, 0);
		memmove(f, f + 4, 12);
		f[12] = 0x81;
		f[13] = 0x00;
		f[14] = vlan >> 8;
		f[15] = vlan & 0xff;
		return;
	}
	static const uint8_t dst[6] = { 2, 0, 0, 0, 0, 2 }, src[6] = { 2, 0, 0, 0, 0, 1 };
	memset(f, 0, size);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08;
	uint8_t *ip = f + 14;
	int iplen = size - 14;
	ip[0] = 0x45;
	ip[2] = iplen >> 8;
	ip[3] = iplen & 0xff;
	ip[4] = seq >> 8;
	ip[5] = seq & 0xff;
	ip[8] = 64;
	ip[9] = 17;
	ip[12] = 10; ip[13] = 77; ip[14] = 0; ip[15] = 1;
	ip[16] = 10; ip[17] = 77; ip[18] = 0; ip[19] = 2;
	uint16_t c = checksum(ip, 20);
	ip[10] = c >> 8;
	ip[11] = c & 0xff;
	uint8_t *udp = ip + 20;
	int udplen = iplen - 20;
	udp[0] = 0x9c; udp[1] = 0x40;                   /* source port 40000 */
	udp[2] = 0x1b; udp[3] = (seq & 1) ? 0x59 : 0x58; /* 7000 or 7001 */
	udp[4] = udplen >> 8;
	udp[5] = udplen & 0xff;
	for (int i = 8; i < udplen; i++)
		udp[i] = (uint8_t)(seq + i);
	udp[8] = seq >> 24; udp[9] = seq >> 16; udp[10] = seq >> 8; udp[11] = seq;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: sender IFACE COUNT [SIZE] [BATCH]\n");
		return 2;
	}
	unsigned count = strtoul(argv[2], NULL, 10);
	int size = argc > 3 ? atoi(argv[3]) : 100;
	int batch = argc > 4 ? atoi(argv[4]) : 1;
	int vlan = argc > 5 ? atoi(argv[5]) : 0;
	if (size < 64 || size > 1514 || batch < 1 || batch > 256 || vlan < 0 || vlan > 4095) {
		fprintf(stderr, "sender: SIZE 64..1514, BATCH 1..256, VLAN 0..4095\n");
		return 2;
	}
	int fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_ifindex = if_nametoindex(argv[1]) };
	if (sll.sll_ifindex == 0 || bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0) {
		perror(argv[1]);
		return 1;
	}
	static uint8_t frames[256][1514];
	struct iovec iov[256];
	struct mmsghdr msgs[256];
	memset(msgs, 0, sizeof msgs);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	unsigned sent = 0;
	while (sent < count) {
		int n = count - sent < (unsigned)batch ? (int)(count - sent) : batch;
		for (int i = 0; i < n; i++) {
			build(frames[i], size, sent + i, vlan);
			iov[i].iov_base = frames[i];
			iov[i].iov_len = size;
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		int r = batch > 1 ? sendmmsg(fd, msgs, n, 0) : (send(fd, frames[0], size, 0) == size ? 1 : -1);
		if (r < 0) {
			perror("send");
			return 1;
		}
		sent += r;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (batch > 1)
		printf("%u frames in %.3f s: %.0f frames/s\n", sent, s, sent / s);
	return 0;
}
