using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_open_dead(3PCAP) and pcap_open_dead_with_tstamp_precision: handles for compiling and writing only.</summary>
static unsafe class OpenDead
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_open_dead")]
    public static IntPtr PcapOpenDead(int linkType, int snapLength) => Open(linkType, snapLength, 0);

    [UnmanagedCallersOnly(EntryPoint = "pcap_open_dead_with_tstamp_precision")]
    public static IntPtr PcapOpenDeadWithTstampPrecision(int linkType, int snapLength, uint precision) =>
        Open(linkType, snapLength, precision);

    static IntPtr Open(int linkType, int snapLength, uint precision)
    {
        try
        {
            // libpcap takes any other precision as microseconds: it has no way to report the error.
            var p = precision == 1 ? TimestampPrecision.Nano : TimestampPrecision.Micro;
            return (IntPtr)new DeadHandle(linkType, snapLength, p).Block;
        }
        catch (Exception)
        {
            return IntPtr.Zero;
        }
    }
}
