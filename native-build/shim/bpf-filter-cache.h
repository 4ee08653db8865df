/*
 * This thread's programs translated to machine code for bpf_filter and pcap_offline_filter. The
 * engine (src/Pcap.Engine/Bpf/FilterCache.cs, whose Entry is the C# twin of the struct below)
 * fills the slots; bpf-filter.c runs a program from them when the caller's instructions are
 * still the ones translated. Thread-local: a slot is only replaced by the thread that runs it.
 */
#ifndef PCAP_SHIM_BPF_FILTER_CACHE_H
#define PCAP_SHIM_BPF_FILTER_CACHE_H

#include <stdint.h>
#include <pcap/pcap.h>

#define PCAP_BPF_CACHE_SLOTS 4

typedef u_int (*pcap_bpf_code)(const u_char *packet, u_int wirelen, u_int buflen);

struct pcap_bpf_cached {
	const struct bpf_insn *insns; /*  0 the caller's program; NULL: an empty slot */
	const struct bpf_insn *copy;  /*  8 its instructions when translated */
	pcap_bpf_code code;           /* 16 */
	uint32_t length;              /* 24 instructions translated (and compared) */
	uint32_t without_length;      /* 28 bpf_filter may use it: every instruction reachable, jumps forward */
};                                    /* 32 */

_Static_assert(sizeof(struct pcap_bpf_cached) == 32, "pcap_bpf_cached layout");

struct pcap_bpf_cached *pcap_shim_bpf_cache(void);
pcap_bpf_code pcap_shim_bpf_lookup(const struct bpf_insn *insns, uint32_t length);

#endif
