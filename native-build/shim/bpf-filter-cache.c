/* The thread's translated programs (bpf-filter-cache.h) and their lookup. */
#include <stdint.h>
#include <string.h>
#include "bpf-filter-cache.h"

static __thread struct pcap_bpf_cached cache[PCAP_BPF_CACHE_SLOTS];

struct pcap_bpf_cached *pcap_shim_bpf_cache(void)
{
	return cache;
}

/*
 * The caller's instructions equal the copy. Read in order and never across a page boundary in one
 * comparison: without a length (bpf_filter), instruction i is only read once all before it matched,
 * and then the caller's program reaches it too, so nothing is read that its bpf_filter could not read.
 */
static int same(const struct bpf_insn *insns, const struct bpf_insn *copy, uint32_t length)
{
	const unsigned char *a = (const unsigned char *)insns, *b = (const unsigned char *)copy;
	size_t left = (size_t)length * sizeof *insns;

	while (left > 0) {
		size_t chunk = 4096 - ((uintptr_t)a & 4095);
		if (chunk > left)
			chunk = left;
		if (memcmp(a, b, chunk) != 0)
			return 0;
		a += chunk, b += chunk, left -= chunk;
	}
	return 1;
}

/* The code for a program still as translated; length 0 for bpf_filter's program of unknown length. */
pcap_bpf_code pcap_shim_bpf_lookup(const struct bpf_insn *insns, uint32_t length)
{
	for (int i = 0; i < PCAP_BPF_CACHE_SLOTS; i++) {
		const struct pcap_bpf_cached *e = &cache[i];
		if (e->insns == insns && insns != NULL && (length == 0 ? e->without_length != 0 : length == e->length) &&
		    same(insns, e->copy, e->length))
			return e->code;
	}
	return NULL;
}
