using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Names;

namespace Pcap.Native.Abi;

/// <summary>MAC address tools of pcap/namedb.h: the results of the first two are malloc'd (the caller frees them).</summary>
static unsafe class EtherAton
{
    private static byte* Malloced(ReadOnlySpan<byte> mac)
    {
        var p = (byte*)NativeMemory.Alloc(6);
        mac.CopyTo(new Span<byte>(p, 6));
        return p;
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_ether_aton")]
    public static byte* PcapEtherAton(byte* s)
    {
        try { return s == null ? null : Malloced(NameResolver.EtherAton(Marshal.PtrToStringUTF8((IntPtr)s)!)); }
        catch (Exception) { return null; }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_ether_hostton")]
    public static byte* PcapEtherHostton(byte* name)
    {
        try
        {
            if (name == null) return null;
            var mac = NameResolver.EtherHost(Marshal.PtrToStringUTF8((IntPtr)name)!);
            return mac == null ? null : Malloced(mac);
        }
        catch (Exception) { return null; }
    }

    /// <summary>Static storage as in libpcap: each call overwrites the previous entry.</summary>
    private static readonly byte* Entry = (byte*)NativeMemory.AllocZeroed(NameResolver.EtherentSize);

    [UnmanagedCallersOnly(EntryPoint = "pcap_next_etherent")]
    public static byte* PcapNextEtherent(IntPtr file)
    {
        try { return file != IntPtr.Zero && NameResolver.NextEtherent(file, Entry) ? Entry : null; }
        catch (Exception) { return null; }
    }
}
