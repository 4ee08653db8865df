/* bpf_filter, bpf_validate, pcap_offline_filter, bpf_image, bpf_dump, pcap_setfilter's validation,
 * pcap_compile_nopcap (pcap-filter(7), pcap_compile(3PCAP), pcap_offline_filter(3PCAP)). */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include "harness.h"

/* "ip" on Ethernet by hand: load the type, compare, accept 96 bytes or reject. */
static struct bpf_insn ip_only[] = {
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x800, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 96),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

static unsigned char frame[60] = { [12] = 0x08, [13] = 0x00 };

CHECK(bpf_filter_verdicts)
{
	unsigned char v6[60] = { [12] = 0x86, [13] = 0xdd };
	struct bpf_insn div_by_x[] = {
		BPF_STMT(BPF_LDX | BPF_IMM, 0),
		BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
		BPF_STMT(BPF_RET | BPF_K, 5),
	};
	struct bpf_insn past_end[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 58),
		BPF_STMT(BPF_RET | BPF_K, 5),
	};
	EXPECT_INT(bpf_filter(ip_only, frame, 60, 60), 96);
	EXPECT_INT(bpf_filter(ip_only, v6, 60, 60), 0);
	EXPECT_INT(bpf_filter(ip_only, frame, 10, 10), 0);      /* load beyond the captured bytes: reject */
	EXPECT_INT(bpf_filter(NULL, frame, 60, 60), (u_int)-1); /* no program: accept everything */
	EXPECT_INT(bpf_filter(div_by_x, frame, 60, 60), 0);     /* division by X = 0 rejects */
	EXPECT_INT(bpf_filter(past_end, frame, 60, 60), 0);
}

CHECK(bpf_validate_refusals)
{
	struct bpf_insn jump_out[] = { BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x800, 5, 0), BPF_STMT(BPF_RET | BPF_K, 0) };
	struct bpf_insn div_zero[] = { BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), BPF_STMT(BPF_RET | BPF_K, 0) };
	struct bpf_insn mod_zero[] = { BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 0), BPF_STMT(BPF_RET | BPF_K, 0) };
	struct bpf_insn scratch_st[] = { BPF_STMT(BPF_ST, BPF_MEMWORDS), BPF_STMT(BPF_RET | BPF_K, 0) };
	struct bpf_insn scratch_ld[] = { BPF_STMT(BPF_LD | BPF_MEM, BPF_MEMWORDS), BPF_STMT(BPF_RET | BPF_K, 0) };
	struct bpf_insn no_return[] = { BPF_STMT(BPF_LD | BPF_IMM, 1) };

	EXPECT_INT(bpf_validate(ip_only, 4), 1);
	EXPECT_INT(bpf_validate(ip_only, 0), 0);
	EXPECT_INT(bpf_validate(jump_out, 2), 0);
	EXPECT_INT(bpf_validate(div_zero, 2), 0);
	EXPECT_INT(bpf_validate(mod_zero, 2), 0);
	EXPECT_INT(bpf_validate(scratch_st, 2), 0);
	EXPECT_INT(bpf_validate(scratch_ld, 2), 0);
	EXPECT_INT(bpf_validate(no_return, 1), 0);
}

CHECK(offline_filter_verdict)
{
	struct bpf_program prog = { 4, ip_only };
	struct pcap_pkthdr h = { { 0, 0 }, 60, 60 };
	EXPECT_INT(pcap_offline_filter(&prog, &h, frame), 96);
	h.caplen = 10;
	EXPECT_INT(pcap_offline_filter(&prog, &h, frame), 0);
}

/* pcap_setfilter validates: an invalid program is refused with libpcap's text. */
CHECK(setfilter_refuses_invalid_programs)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct bpf_insn jump_out[] = { BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x800, 5, 0), BPF_STMT(BPF_RET | BPF_K, 0) };
	struct bpf_insn div_zero[] = { BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), BPF_STMT(BPF_RET | BPF_K, 0) };
	struct bpf_insn scratch_index[] = { BPF_STMT(BPF_LD | BPF_MEM, 16), BPF_STMT(BPF_RET | BPF_K, 0) };
	struct bpf_program progs[] = { { 2, jump_out }, { 2, div_zero }, { 2, scratch_index }, { 0, ip_only } };
	pcap_t *p;

	write_capture(scratch("f.pcap"), 0xa1b2c3d4u, 1, 65535, 1, 60, 0);
	p = pcap_open_offline(scratch("f.pcap"), errbuf);
	EXPECT(p != NULL, "pcap_open_offline: %s", errbuf);
	for (unsigned i = 0; i < sizeof progs / sizeof progs[0]; i++) {
		EXPECT_INT(pcap_setfilter(p, &progs[i]), PCAP_ERROR);
		EXPECT_STR(pcap_geterr(p), "BPF program is not valid");
	}
	pcap_close(p);
}

CHECK(setfilter_on_dead_handle)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 100);
	struct bpf_program prog = { 4, ip_only };
	EXPECT_INT(pcap_setfilter(p, &prog), PCAP_ERROR);
	EXPECT_STR(pcap_geterr(p), "A filter cannot be set on a pcap_open_dead pcap_t");
	pcap_close(p);
}

CHECK(bpf_image_text)
{
	EXPECT_STR(bpf_image(&ip_only[0], 0), "(000) ldh      [12]");
	EXPECT_STR(bpf_image(&ip_only[1], 1), "(001) jeq      #0x800           jt 2\tjf 3");
	EXPECT_STR(bpf_image(&ip_only[2], 2), "(002) ret      #96");
}

/* bpf_dump prints to stdout: option 0 or 1 the image (-d), 2 C initialisers (-dd), 3 decimal (-ddd). */
CHECK(bpf_dump_text)
{
	struct bpf_program prog = { 4, ip_only };
	static const char want[] =
		"(000) ldh      [12]\n(001) jeq      #0x800           jt 2\tjf 3\n(002) ret      #96\n(003) ret      #0\n"
		"{ 0x28, 0, 0, 0x0000000c },\n{ 0x15, 0, 1, 0x00000800 },\n{ 0x6, 0, 0, 0x00000060 },\n{ 0x6, 0, 0, 0x00000000 },\n"
		"4\n40 0 0 12\n21 0 1 2048\n6 0 0 96\n6 0 0 0\n";
	char got[1024];
	size_t n;
	int fd = open(scratch("dump.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0600);

	EXPECT(fd >= 0 && dup2(fd, 1) == 1, "cannot redirect stdout");
	bpf_dump(&prog, 1);
	bpf_dump(&prog, 2);
	bpf_dump(&prog, 3);
	fflush(stdout);
	n = read_bytes(scratch("dump.txt"), (unsigned char *)got, sizeof got - 1);
	got[n] = '\0';
	EXPECT_STR(got, want);
}

CHECK(compile_nopcap)
{
	struct bpf_program prog;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	EXPECT_INT(pcap_compile_nopcap(65535, DLT_EN10MB, &prog, "ip", 1, PCAP_NETMASK_UNKNOWN), 0);
	EXPECT_INT(prog.bf_len, 4);
	EXPECT_INT(bpf_filter(prog.bf_insns, frame, 60, 60), 65535);
	pcap_freecode(&prog);
	EXPECT_INT(pcap_compile_nopcap(65535, DLT_EN10MB, &prog, "ip and", 1, PCAP_NETMASK_UNKNOWN), PCAP_ERROR);
#pragma GCC diagnostic pop
}
