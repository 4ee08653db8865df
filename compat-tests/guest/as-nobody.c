/*
 * as-nobody PROG ARGS: runs PROG as user and group 65534 with no supplementary groups and no
 * capabilities (the guest's busybox setpriv cannot change the user), for the checks of what the
 * capture sources answer without permission.
 */
#include <grp.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: as-nobody PROG ARGS\n");
		return 2;
	}
	if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0) {
		perror("as-nobody");
		return 1;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
