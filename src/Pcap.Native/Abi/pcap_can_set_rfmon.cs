using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_can_set_rfmon(3PCAP).</summary>
static class CanSetRfmon
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_can_set_rfmon")]
    public static int PcapCanSetRfmon(IntPtr p)
    {
        try { return Handle.FromPcap(p).CanSetRfmon(); }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }
}
