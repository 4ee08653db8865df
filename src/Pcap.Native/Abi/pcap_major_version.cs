using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;
using Pcap.Engine.Savefiles;

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
            if (!handle.Activated) return PcapError.NotActivated;
            if (handle is not SavefileHandle s) return 0;
            return major ? s.MajorVersion : s.MinorVersion;
        }
        catch (Exception e)
        {
            return Boundary.Fail(p, e);
        }
    }
}
