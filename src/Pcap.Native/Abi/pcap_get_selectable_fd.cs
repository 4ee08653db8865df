using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Capture;
using Pcap.Engine.Handles;
using Pcap.Engine.Savefiles;

namespace Pcap.Native.Abi;

/// <summary>pcap_get_selectable_fd(3PCAP) and pcap_get_required_select_timeout.</summary>
static class SelectableFd
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_get_selectable_fd")]
    public static int PcapGetSelectableFd(IntPtr p)
    {
        try
        {
            // libpcap: a savefile's stdio descriptor; a pcap_open_dead handle is zero-filled, so 0.
            return Handle.FromPcap(p) switch
            {
                LiveHandle live => live.SelectableFd,
                SavefileHandle savefile => Engine.Interop.FileDescriptor.Of(savefile.File),
                _ => 0,
            };
        }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_get_required_select_timeout")]
    public static IntPtr PcapGetRequiredSelectTimeout(IntPtr p)
    {
        try
        {
            return Handle.FromPcap(p) is LiveHandle live ? live.RequiredSelectTimeout : IntPtr.Zero;
        }
        catch (Exception)
        {
            return IntPtr.Zero;
        }
    }
}
