using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_setdirection(3PCAP).</summary>
static class SetDirection
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_setdirection")]
    public static int PcapSetdirection(IntPtr p, int direction)
    {
        try { return Handle.FromPcap(p).SetDirection(direction); }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }
}
