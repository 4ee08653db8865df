using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Capture;
using Pcap.Engine.Handles;
using Pcap.Engine.Savefiles;

namespace Pcap.Native.Abi;

/// <summary>pcap_file(3PCAP) and pcap_fileno(3PCAP).</summary>
static unsafe class File
{
    /// <summary>The savefile's <c>FILE *</c>, which the reader follows from now on; NULL for every other handle.</summary>
    [UnmanagedCallersOnly(EntryPoint = "pcap_file")]
    public static IntPtr PcapFile(IntPtr p)
    {
        try
        {
            return Handle.FromPcap(p) is SavefileHandle s ? s.HandOutFile() : IntPtr.Zero;
        }
        catch (Exception e)
        {
            Boundary.Fail(p, e);
            return IntPtr.Zero;
        }
    }

    /// <summary>
    /// The capture's descriptor. libpcap 1.10.3 returns -1 for savefiles (it never sets the descriptor
    /// there) and 0 for pcap_open_dead handles (zeroed memory); both are kept.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "pcap_fileno")]
    public static int PcapFileno(IntPtr p)
    {
        try
        {
            return Handle.FromPcap(p) switch
            {
                SavefileHandle => -1,
                LiveHandle live => live.SelectableFd,
                _ => 0,
            };
        }
        catch (Exception e)
        {
            return Boundary.Fail(p, e);
        }
    }
}
