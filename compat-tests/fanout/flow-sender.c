/*
 * flow-sender: puts COUNT Ethernet/IPv4/UDP frames on IFACE through an AF_PACKET socket, spread over
 * FLOWS flows: 10.77.0.1:(20000 + n % FLOWS) -> 10.77.0.2:9000, frame number n in the IP id and the
 * payload. For the fanout tests: a flow must stay on one socket in hash mode.
 * Usage: flow-sender IFACE COUNT FLOWS
 */
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
	if (argc != 4) {
		fprintf(stderr, "usage: flow-sender IFACE COUNT FLOWS\n");
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
	for (unsigned n = 0; n < count; n++) {
		uint8_t f[64] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00 };
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
		if (sendto(fd, f, sizeof f, 0, (struct sockaddr *)&to, sizeof to) != (ssize_t)sizeof f) {
			perror("sendto");
			return 1;
		}
		if (n % 64 == 63) /* gentle on the veth's queue: the test is about who gets what */
			nanosleep(&(struct timespec){ 0, 200000 }, NULL);
	}
	return 0;
}
