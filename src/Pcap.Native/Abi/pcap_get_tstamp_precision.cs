using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_get_tstamp_precision(3PCAP): the precision the handle delivers (or was asked for, before activation).</summary>
static class GetTstampPrecision
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_get_tstamp_precision")]
    public static int PcapGetTstampPrecision(IntPtr p)
    {
        try
        {
            var handle = Handle.FromPcap(p);
            return (int)handle.PrecisionAsked;
        }
        catch (Exception e)
        {
            return Boundary.Fail(p, e);
        }
    }
}
