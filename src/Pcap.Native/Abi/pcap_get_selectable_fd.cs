using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_get_selectable_fd(3PCAP) and pcap_get_required_select_timeout.</summary>
static class SelectableFd
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_get_selectable_fd")]
    public static int PcapGetSelectableFd(IntPtr p)
    {
        try { return Handle.FromPcap(p).SelectableFd; }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_get_required_select_timeout")]
    public static IntPtr PcapGetRequiredSelectTimeout(IntPtr p)
    {
        try { return Handle.FromPcap(p).RequiredSelectTimeout; }
        catch (Exception) { return IntPtr.Zero; }
    }
}
