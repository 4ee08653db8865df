using System.Runtime.InteropServices;
using Pcap.Engine.Bpf;

namespace Pcap.Engine.Interop;

/// <summary>native-build/shim/bpf-filter-cache.c: this thread's translated programs, and their lookup.</summary>
internal static unsafe partial class Shim
{
    [LibraryImport("pcapshim", EntryPoint = "pcap_shim_bpf_cache")]
    [SuppressGCTransition]
    internal static partial FilterCache.Entry* BpfCache();

    [LibraryImport("pcapshim", EntryPoint = "pcap_shim_bpf_lookup")]
    [SuppressGCTransition]
    internal static partial nint BpfLookup(Instruction* instructions, uint length);
}
