/*
 * bpf_filter and pcap_offline_filter: a program this thread ran before runs as the machine code the
 * engine translated it into (bpf-filter-cache.h), as long as the instructions it runs are still the
 * ones translated; any other goes to the engine (pcap_engine_bpf_filter in
 * src/Pcap.Native/Abi/bpf_filter.cs), which interprets it and translates it when it comes again.
 * In C, so that a call costs no entry into managed code.
 */
#include <pcap/pcap.h>
#include "bpf-filter-cache.h"

u_int pcap_engine_bpf_filter(const struct bpf_insn *pc, const u_char *p, u_int wirelen, u_int buflen);
int pcap_engine_offline_filter(const struct bpf_program *fp, const struct pcap_pkthdr *h, const u_char *pkt);

u_int bpf_filter(const struct bpf_insn *pc, const u_char *p, u_int wirelen, u_int buflen)
{
	pcap_bpf_code code = pcap_shim_bpf_lookup(pc, 0);
	uint64_t verdict = code != NULL ? code(p, wirelen, buflen, pc) : PCAP_BPF_CODE_MISMATCH;

	return verdict != PCAP_BPF_CODE_MISMATCH ? (u_int)verdict : pcap_engine_bpf_filter(pc, p, wirelen, buflen);
}

int pcap_offline_filter(const struct bpf_program *fp, const struct pcap_pkthdr *h, const u_char *pkt)
{
	pcap_bpf_code code = fp != NULL && h != NULL && fp->bf_len != 0 ? pcap_shim_bpf_lookup(fp->bf_insns, fp->bf_len) : NULL;
	uint64_t verdict = code != NULL ? code(pkt, h->len, h->caplen, fp->bf_insns) : PCAP_BPF_CODE_MISMATCH;

	return verdict != PCAP_BPF_CODE_MISMATCH ? (int)(u_int)verdict : pcap_engine_offline_filter(fp, h, pkt);
}
