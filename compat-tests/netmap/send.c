/*
 * netmap-send IFACE COUNT SIZE [SEED]: sends COUNT fixed Ethernet frames of SIZE bytes out of IFACE
 * through an AF_PACKET socket (the peer side of the netmap tests). Broadcast destination,
 * ethertype 0x88b5 (local experimental), payload = frame number and a pattern from SEED.
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s IFACE COUNT SIZE [SEED]\n", argv[0]);
		return 2;
	}
	int count = atoi(argv[2]), size = atoi(argv[3]), seed = argc > 4 ? atoi(argv[4]) : 0;
	int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = (int)if_nametoindex(argv[1]) };
	if (s < 0 || sll.sll_ifindex == 0 || bind(s, (struct sockaddr *)&sll, sizeof sll) < 0) {
		perror("netmap-send");
		return 1;
	}
	unsigned char *frame = calloc(1, (size_t)size < 64 ? 64 : (size_t)size);
	memset(frame, 0xff, 6);
	memcpy(frame + 6, "\x02\x00\x00\x00\x00\x02", 6);
	frame[12] = 0x88;
	frame[13] = 0xb5;
	for (int i = 16; i < size; i++)
		frame[i] = (unsigned char)(seed + i);
	for (int n = 0; n < count; n++) {
		frame[14] = (unsigned char)(n >> 8);
		frame[15] = (unsigned char)n;
		if (send(s, frame, (size_t)size, 0) != size) {
			perror("netmap-send: send");
			return 1;
		}
		usleep(2000);
	}
	return 0;
}
