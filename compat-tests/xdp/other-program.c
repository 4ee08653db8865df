/*
 * other-program: attaches an XDP program of its own (XDP_PASS, nothing else) to IFACE, as another
 * tool would, so the tests can check that an xdp: open refuses to take the interface over and leaves
 * that program where it is. Plain bpf(2) and rtnetlink, no libbpf.
 * Usage: other-program IFACE link|netlink drv|skb
 *   link: a bpf link (BPF_LINK_CREATE) held by this process: prints "attached id N" and waits to be
 *   killed (the program goes with it). netlink: the legacy IFLA_XDP attachment (what `ip link set dev
 *   IFACE xdp obj ...` makes): prints "attached id N" and exits; the program stays until removed.
 */
#define _GNU_SOURCE
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static long bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof *attr);
}

static int load_pass(void)
{
	struct bpf_insn code[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr;
	memset(&attr, 0, sizeof attr);
	attr.prog_type = BPF_PROG_TYPE_XDP;
	attr.insn_cnt = 2;
	attr.insns = (unsigned long)code;
	attr.license = (unsigned long)"GPL";
	strcpy(attr.prog_name, "other_pass");
	return (int)bpf(BPF_PROG_LOAD, &attr);
}

static unsigned prog_id(int fd)
{
	struct bpf_prog_info info;
	union bpf_attr attr;
	memset(&info, 0, sizeof info);
	memset(&attr, 0, sizeof attr);
	attr.info.bpf_fd = (unsigned)fd;
	attr.info.info_len = sizeof info;
	attr.info.info = (unsigned long)&info;
	return bpf(BPF_OBJ_GET_INFO_BY_FD, &attr) == 0 ? info.id : 0;
}

static int attach_netlink(unsigned ifindex, int fd, unsigned flags)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
		char attrs[64];
	} req;
	memset(&req, 0, sizeof req);
	req.nh.nlmsg_type = RTM_SETLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.ifi.ifi_family = AF_UNSPEC;
	req.ifi.ifi_index = (int)ifindex;
	struct rtattr *xdp = (struct rtattr *)req.attrs;
	xdp->rta_type = IFLA_XDP | NLA_F_NESTED;
	struct rtattr *a = (struct rtattr *)((char *)xdp + RTA_LENGTH(0));
	a->rta_type = IFLA_XDP_FD;
	a->rta_len = RTA_LENGTH(4);
	memcpy(RTA_DATA(a), &fd, 4);
	struct rtattr *b = (struct rtattr *)((char *)a + RTA_ALIGN(a->rta_len));
	b->rta_type = IFLA_XDP_FLAGS;
	b->rta_len = RTA_LENGTH(4);
	memcpy(RTA_DATA(b), &flags, 4);
	xdp->rta_len = (unsigned short)(RTA_LENGTH(0) + RTA_ALIGN(a->rta_len) + RTA_ALIGN(b->rta_len));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof req.ifi) + RTA_ALIGN(xdp->rta_len);

	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s < 0 || send(s, &req, req.nh.nlmsg_len, 0) < 0)
		return -1;
	char reply[4096];
	ssize_t n = recv(s, reply, sizeof reply, 0);
	close(s);
	struct nlmsghdr *nh = (struct nlmsghdr *)reply;
	if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) || nh->nlmsg_type != NLMSG_ERROR)
		return -1;
	int err = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
	if (err != 0) {
		fprintf(stderr, "netlink: %s\n", strerror(-err));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	unsigned ifindex = if_nametoindex(argv[1]);
	unsigned flags = strcmp(argv[3], "skb") == 0 ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
	int fd = load_pass();
	if (ifindex == 0 || fd < 0) {
		perror("other-program");
		return 1;
	}
	if (strcmp(argv[2], "netlink") == 0) {
		if (attach_netlink(ifindex, fd, flags) < 0)
			return 1;
		printf("attached id %u\n", prog_id(fd));
		return 0;
	}
	union bpf_attr attr;
	memset(&attr, 0, sizeof attr);
	attr.link_create.prog_fd = (unsigned)fd;
	attr.link_create.target_ifindex = ifindex;
	attr.link_create.attach_type = BPF_XDP;
	attr.link_create.flags = flags;
	if (bpf(BPF_LINK_CREATE, &attr) < 0) {
		perror("other-program: BPF_LINK_CREATE");
		return 1;
	}
	printf("attached id %u\n", prog_id(fd));
	fflush(stdout);
	pause();
	return 0;
}
