using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_setfilter(3PCAP): the handle validates and copies the program (the caller may free its own at once).</summary>
static unsafe class SetFilter
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_setfilter")]
    public static int PcapSetfilter(IntPtr p, BpfProgram* program)
    {
        try
        {
            var handle = Handle.FromPcap(p);
            return program == null ? handle.SetFilter(null, 0) : handle.SetFilter(program->Instructions, program->Length);
        }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }
}
