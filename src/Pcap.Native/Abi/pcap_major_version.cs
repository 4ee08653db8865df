using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_major_version(3PCAP) and pcap_minor_version: the savefile format's version, 0 for other handles.</summary>
static class MajorVersion
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_major_version")]
    public static int PcapMajorVersion(IntPtr p) => Version(p, major: true);

    [UnmanagedCallersOnly(EntryPoint = "pcap_minor_version")]
    public static int PcapMinorVersion(IntPtr p) => Version(p, major: false);

    static int Version(IntPtr p, bool major)
    {
        try
        {
            var handle = Handle.FromPcap(p);
            return handle.IfActivated(handle.FormatVersion(major));
        }
        catch (Exception e)
        {
            return Boundary.Fail(p, e);
        }
    }
}
