using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Bpf;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>
/// bpf_filter, bpf_validate (undocumented but exported by libpcap) and pcap_offline_filter(3PCAP).
/// bpf_filter and pcap_offline_filter are C (native-build/shim/bpf-filter.c), which runs programs
/// already translated; the others come here.
/// </summary>
static unsafe class BpfFilter
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_engine_bpf_filter")]
    public static uint Filter(Instruction* pc, byte* packet, uint wireLength, uint capturedLength)
    {
        try
        {
            return FilterCache.Filter(pc, packet, wireLength, capturedLength);
        }
        catch (Exception)
        {
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "bpf_validate")]
    public static int Validate(Instruction* f, int length)
    {
        try
        {
            return Validator.IsValid(f, length) ? 1 : 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    /// <summary>Non-zero (the snap length) if the packet passes; 0 if it fails or there is no program.</summary>
    [UnmanagedCallersOnly(EntryPoint = "pcap_engine_offline_filter")]
    public static int OfflineFilter(BpfProgram* program, PacketHeader* header, byte* packet)
    {
        try
        {
            if (program == null || header == null || program->Instructions == null) return 0;
            return (int)FilterCache.Filter(program->Instructions, program->Length, packet, header->Len, header->CapLen);
        }
        catch (Exception)
        {
            return 0;
        }
    }
}
