/*
 * flow-sender: puts COUNT Ethernet/IPv4/UDP frames on IFACE through an AF_PACKET socket, spread over
 * FLOWS flows: 10.77.0.1:(20000 + n % FLOWS) -> 10.77.0.2:9000, frame number n in the IP id and the
 * payload. For the fanout tests: a flow must stay on one socket in hash mode.
 * Usage: flow-sender IFACE COUNT FLOWS [fast]
 *   Frames go out in sendmmsg batches of 64 with a 200 us pause after each (gentle on the veth's
 *   queue: the tests are about who gets what); "fast" leaves the pause out (bench/fanout).
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

int main(int argc, char **argv)
{
	if (argc != 4 && !(argc == 5 && strcmp(argv[4], "fast") == 0)) {
		fprintf(stderr, "usage: flow-sender IFACE COUNT FLOWS [fast]\n");
		return 2;
	}
	unsigned count = (unsigned)atoi(argv[2]), flows = (unsigned)atoi(argv[3]);
	int fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_ifindex = (int)if_nametoindex(argv[1]), .sll_halen = 6 };
	if (to.sll_ifindex == 0) {
		perror(argv[1]);
		return 1;
	}
	enum { BATCH = 64 };
	static uint8_t frames[BATCH][64];
	static struct iovec iov[BATCH];
	static struct mmsghdr msgs[BATCH];
	unsigned queued = 0;
	for (unsigned n = 0; n < count; n++) {
		uint8_t *f = frames[queued];
		memset(f, 0, 64);
		memcpy(f, (uint8_t[]){ 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00 }, 14);
		uint8_t *ip = f + 14, *udp = ip + 20;
		ip[0] = 0x45;
		ip[3] = 50; /* total length: 20 + 8 + 22 */
		ip[4] = (uint8_t)(n >> 8);
		ip[5] = (uint8_t)n;
		ip[8] = 64;
		ip[9] = 17;
		memcpy(ip + 12, (uint8_t[]){ 10, 77, 0, 1, 10, 77, 0, 2 }, 8);
		uint16_t c = checksum(ip, 20);
		ip[10] = (uint8_t)(c >> 8);
		ip[11] = (uint8_t)c;
		unsigned sport = 20000 + n % flows;
		udp[0] = (uint8_t)(sport >> 8);
		udp[1] = (uint8_t)sport;
		udp[2] = 9000 >> 8;
		udp[3] = 9000 & 0xff;
		udp[5] = 30;
		snprintf((char *)udp + 8, 22, "seq=%08u", n);
		iov[queued] = (struct iovec){ f, 64 };
		msgs[queued].msg_hdr = (struct msghdr){ .msg_name = &to, .msg_namelen = sizeof to, .msg_iov = &iov[queued], .msg_iovlen = 1 };
		if (++queued < BATCH && n + 1 < count)
			continue;
		for (unsigned sent = 0; sent < queued;) {
			int k = sendmmsg(fd, msgs + sent, queued - sent, 0);
			if (k < 0) {
				perror("sendmmsg");
				return 1;
			}
			sent += (unsigned)k;
		}
		queued = 0;
		if (argc == 4)
			nanosleep(&(struct timespec){ 0, 200000 }, NULL);
	}
	return 0;
}
