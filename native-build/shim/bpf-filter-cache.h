/*
 * This thread's programs translated to machine code for bpf_filter and pcap_offline_filter. The
 * engine (src/Pcap.Engine/Bpf/FilterCache.cs, whose Entry is the C# twin of the struct below)
 * fills the slots; bpf-filter.c runs a program found there. The code compares each instruction of
 * the caller's program with the one translated before it runs it (the caller may have changed or
 * reused its program), and answers 1 << 32 at the first difference. Thread-local: a slot is only
 * replaced by the thread that runs it.
 */
#ifndef PCAP_SHIM_BPF_FILTER_CACHE_H
#define PCAP_SHIM_BPF_FILTER_CACHE_H

#include <stdint.h>
#include <pcap/pcap.h>

#define PCAP_BPF_CACHE_SLOTS 4
#define PCAP_BPF_CODE_MISMATCH (UINT64_C(1) << 32)

typedef uint64_t (*pcap_bpf_code)(const u_char *packet, u_int wirelen, u_int buflen, const struct bpf_insn *insns);

struct pcap_bpf_cached {
	const struct bpf_insn *insns; /*  0 the caller's program; NULL: an empty slot */
	pcap_bpf_code code;           /*  8 */
	uint32_t length;              /* 16 instructions translated */
	uint32_t padding;             /* 20 */
};                                    /* 24 */

_Static_assert(sizeof(struct pcap_bpf_cached) == 24, "pcap_bpf_cached layout");

struct pcap_bpf_cached *pcap_shim_bpf_cache(void);
pcap_bpf_code pcap_shim_bpf_lookup(const struct bpf_insn *insns, uint32_t length);

#endif
