using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Savefiles;

namespace Pcap.Native.Abi;

/// <summary>pcap_open_offline(3PCAP): savefiles from a path ("-" is standard input) or a <c>FILE *</c>.</summary>
static unsafe class OpenOffline
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_open_offline")]
    public static IntPtr PcapOpenOffline(byte* fname, byte* errbuf) => OpenPath(fname, 0, errbuf);

    [UnmanagedCallersOnly(EntryPoint = "pcap_open_offline_with_tstamp_precision")]
    public static IntPtr PcapOpenOfflineWithTstampPrecision(byte* fname, uint precision, byte* errbuf) =>
        OpenPath(fname, (int)precision, errbuf);

    [UnmanagedCallersOnly(EntryPoint = "pcap_fopen_offline")]
    public static IntPtr PcapFopenOffline(IntPtr fp, byte* errbuf) => OpenFile(fp, 0, errbuf);

    [UnmanagedCallersOnly(EntryPoint = "pcap_fopen_offline_with_tstamp_precision")]
    public static IntPtr PcapFopenOfflineWithTstampPrecision(IntPtr fp, uint precision, byte* errbuf) =>
        OpenFile(fp, (int)precision, errbuf);

    static IntPtr OpenPath(byte* fname, int precision, byte* errbuf)
    {
        try
        {
            string? path = fname == null ? null : Marshal.PtrToStringUTF8((IntPtr)fname);
            return (IntPtr)SavefileOpener.Open(path, precision).Block;
        }
        catch (Exception e)
        {
            Boundary.Fail(errbuf, e);
            return IntPtr.Zero;
        }
    }

    static IntPtr OpenFile(IntPtr fp, int precision, byte* errbuf)
    {
        try
        {
            return (IntPtr)SavefileOpener.Open(fp, precision).Block;
        }
        catch (Exception e)
        {
            Boundary.Fail(errbuf, e);
            return IntPtr.Zero;
        }
    }
}
