/*
 * hci-up N: brings Bluetooth adapter hciN up (HCIDEVUP, what hciconfig hciN up does), so that a
 * check sees the commands the kernel sends it and the events written to /dev/vhci as its answers.
 * Prints the ioctl's result; with nothing answering all of its commands it fails after a timeout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define AF_BLUETOOTH_ 31
#define BTPROTO_HCI 1
#define HCIDEVUP _IOW('H', 201, int)

int main(int argc, char **argv)
{
	int fd, rc;

	if (argc != 2) {
		fprintf(stderr, "usage: hci-up N\n");
		return 2;
	}
	fd = socket(AF_BLUETOOTH_, SOCK_RAW, BTPROTO_HCI);
	if (fd < 0) {
		printf("socket: %s\n", strerror(errno));
		return 1;
	}
	rc = ioctl(fd, HCIDEVUP, atoi(argv[1]));
	printf("HCIDEVUP %d %s\n", rc, rc < 0 ? strerror(errno) : "");
	close(fd);
	return 0;
}
