using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_datalink(3PCAP) and pcap_datalink_ext: PCAP_ERROR_NOT_ACTIVATED before activation.</summary>
static class DataLink
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_datalink")]
    public static int PcapDatalink(IntPtr p)
    {
        try
        {
            var handle = Handle.FromPcap(p);
            return handle.IfActivated(handle.LinkType);
        }
        catch (Exception e)
        {
            return Boundary.Fail(p, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_datalink_ext")]
    public static int PcapDatalinkExt(IntPtr p)
    {
        try
        {
            var handle = Handle.FromPcap(p);
            return handle.IfActivated(handle.LinkTypeExt);
        }
        catch (Exception e)
        {
            return Boundary.Fail(p, e);
        }
    }
}
