using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_snapshot(3PCAP): the snapshot length; PCAP_ERROR_NOT_ACTIVATED before activation.</summary>
static class Snapshot
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_snapshot")]
    public static int PcapSnapshot(IntPtr p)
    {
        try
        {
            var handle = Handle.FromPcap(p);
            return handle.IfActivated(handle.Snapshot);
        }
        catch (Exception e)
        {
            return Boundary.Fail(p, e);
        }
    }
}
