using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Names;

namespace Pcap.Native.Abi;

/// <summary>
/// The name tools of pcap/namedb.h (libpcap's nametoaddr.c): hosts, networks, ports, protocols.
/// A NULL name finds nothing (libpcap would crash).
/// </summary>
static unsafe class NameToAddr
{
    private static string? Text(byte* s) => s == null ? null : Marshal.PtrToStringUTF8((IntPtr)s);

    /// <summary>gethostbyname's address list, host byte order, in the C library's static storage.</summary>
    [UnmanagedCallersOnly(EntryPoint = "pcap_nametoaddr")]
    public static IntPtr PcapNametoaddr(byte* name)
    {
        try { return Text(name) is string n ? NameResolver.HostAddressList(n) : IntPtr.Zero; }
        catch (Exception) { return IntPtr.Zero; }
    }

    /// <summary>getaddrinfo's list; the caller frees it with freeaddrinfo.</summary>
    [UnmanagedCallersOnly(EntryPoint = "pcap_nametoaddrinfo")]
    public static IntPtr PcapNametoaddrinfo(byte* name)
    {
        try { return Text(name) is string n ? NameResolver.AddrInfo(n) : IntPtr.Zero; }
        catch (Exception) { return IntPtr.Zero; }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_nametonetaddr")]
    public static uint PcapNametonetaddr(byte* name)
    {
        try { return Text(name) is string n ? NameResolver.NetworkAddress(n) : 0; }
        catch (Exception) { return 0; }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_nametoport")]
    public static int PcapNametoport(byte* name, int* port, int* proto)
    {
        try
        {
            if (Text(name) is not string n || !NameResolver.Port(n, out uint p, out uint pr)) return 0;
            if (port != null) *port = (int)p;
            if (proto != null) *proto = (int)pr;
            return 1;
        }
        catch (Exception) { return 0; }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_nametoportrange")]
    public static int PcapNametoportrange(byte* name, int* port1, int* port2, int* proto)
    {
        try
        {
            if (Text(name) is not string n || !NameResolver.PortRange(n, out uint p1, out uint p2, out uint pr)) return 0;
            if (port1 != null) *port1 = (int)p1;
            if (port2 != null) *port2 = (int)p2;
            if (proto != null) *proto = (int)pr;
            return 1;
        }
        catch (Exception) { return 0; }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_nametoproto")]
    public static int PcapNametoproto(byte* name)
    {
        try { return Text(name) is string n ? NameResolver.Protocol(n) : NameResolver.ProtoUndef; }
        catch (Exception) { return NameResolver.ProtoUndef; }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_nametoeproto")]
    public static int PcapNametoeproto(byte* name)
    {
        try { return Text(name) is string n ? NameResolver.EtherProtocol(n) : NameResolver.ProtoUndef; }
        catch (Exception) { return NameResolver.ProtoUndef; }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_nametollc")]
    public static int PcapNametollc(byte* name)
    {
        try { return Text(name) is string n ? NameResolver.LlcProtocol(n) : NameResolver.ProtoUndef; }
        catch (Exception) { return NameResolver.ProtoUndef; }
    }
}
