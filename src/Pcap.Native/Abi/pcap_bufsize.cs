using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_bufsize: the size of the handle's packet buffer; PCAP_ERROR_NOT_ACTIVATED before activation.</summary>
static class Bufsize
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_bufsize")]
    public static int PcapBufsize(IntPtr p)
    {
        try
        {
            var handle = Handle.FromPcap(p);
            return handle.IfActivated(handle.BufferSize);
        }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }
}
