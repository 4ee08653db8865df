/* The thread's translated programs (bpf-filter-cache.h) and their lookup. */
#include <stdint.h>
#include "bpf-filter-cache.h"

static __thread struct pcap_bpf_cached cache[PCAP_BPF_CACHE_SLOTS];

struct pcap_bpf_cached *pcap_shim_bpf_cache(void)
{
	return cache;
}

/*
 * The code translated from the program at insns; length 0 for bpf_filter, whose program has no
 * length (code translated from a valid program only runs instructions inside it). With a length,
 * only code of that length: a shorter program ends where the code would go on.
 */
pcap_bpf_code pcap_shim_bpf_lookup(const struct bpf_insn *insns, uint32_t length)
{
	const struct pcap_bpf_cached *e = cache;

	for (int i = 0; i < PCAP_BPF_CACHE_SLOTS; i++, e++)
		if (e->insns == insns && insns != NULL && (length == 0 || length == e->length))
			return e->code;
	return NULL;
}
