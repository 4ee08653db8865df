using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_activate(3PCAP).</summary>
static class Activate
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_activate")]
    public static int PcapActivate(IntPtr p)
    {
        try { return Handle.FromPcap(p).ActivateCapture(); }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }
}
