using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_is_swapped(3PCAP): whether the savefile is in the other byte order.</summary>
static class IsSwapped
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_is_swapped")]
    public static int PcapIsSwapped(IntPtr p)
    {
        try
        {
            var handle = Handle.FromPcap(p);
            return handle.IfActivated(handle.SwappedBytes ? 1 : 0);
        }
        catch (Exception e)
        {
            return Boundary.Fail(p, e);
        }
    }
}
