using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_file(3PCAP) and pcap_fileno(3PCAP).</summary>
static unsafe class File
{
    /// <summary>The savefile's <c>FILE *</c>, which the reader follows from now on; NULL for every other handle.</summary>
    [UnmanagedCallersOnly(EntryPoint = "pcap_file")]
    public static IntPtr PcapFile(IntPtr p)
    {
        try { return Handle.FromPcap(p).StdioFile; }
        catch (Exception e)
        {
            Boundary.Fail(p, e);
            return IntPtr.Zero;
        }
    }

    /// <summary>The capture's descriptor (libpcap's p->fd).</summary>
    [UnmanagedCallersOnly(EntryPoint = "pcap_fileno")]
    public static int PcapFileno(IntPtr p)
    {
        try { return Handle.FromPcap(p).FileNo; }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }
}
