using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Names;

/// <summary>libpcap's nametoaddr.c: names of hosts, networks, ports, protocols and MAC addresses.</summary>
public static unsafe class NameResolver
{
    public const int ProtoUndef = -1;
    private const int IpProtoTcp = 6, IpProtoUdp = 17, IpProtoSctp = 132;

    /// <summary>Ethernet types by name (eproto_db).</summary>
    public static readonly (string Name, ushort Type)[] EtherProtocols =
    [
        ("aarp", 0x80f3), ("arp", 0x0806), ("atalk", 0x809b), ("decnet", 0x6003), ("ip", 0x0800), ("ip6", 0x86dd),
        ("lat", 0x6004), ("loopback", 0x9000), ("mopdl", 0x6001), ("moprc", 0x6002), ("rarp", 0x8035), ("sca", 0x6007),
    ];

    /// <summary>LLC SAPs by name (llc_db).</summary>
    public static readonly (string Name, byte Sap)[] LlcProtocols = [("iso", 0xfe), ("stp", 0x42), ("ipx", 0xe0), ("netbeui", 0xf0)];

    /// <summary>pcap_nametoaddrinfo: every address (4 or 16 bytes) of a host, in resolver order.</summary>
    public static List<byte[]> HostAddresses(string name)
    {
        var list = new List<byte[]>();
        Libc.AddrInfo hints = default;
        hints.Family = 0;
        hints.SockType = Libc.SockStream;
        hints.Protocol = Libc.IpProtoTcp;
        Libc.AddrInfo* res;
        if (Libc.GetAddrInfo(name, null, &hints, &res) != 0) return list;
        for (var ai = res; ai != null; ai = ai->Next)
        {
            if (ai->Family == Libc.AfInet) list.Add(new ReadOnlySpan<byte>(ai->Addr + 4, 4).ToArray());
            else if (ai->Family == Libc.AfInet6) list.Add(new ReadOnlySpan<byte>(ai->Addr + 8, 16).ToArray());
        }
        Libc.FreeAddrInfo(res);
        return list;
    }

    /// <summary>pcap_nametonetaddr: the network number in host order, 0 when unknown.</summary>
    public static uint NetworkAddress(string name)
    {
        lock (Libc.NetdbLock)
        {
            byte* np = Libc.GetNetByName(name);
            return np == null ? 0 : *(uint*)(np + 20);
        }
    }

    private static int ServicePort(string name, string proto)
    {
        lock (Libc.NetdbLock)
        {
            byte* sp = Libc.GetServByName(name, proto);
            if (sp == null) return -1;
            uint p = *(uint*)(sp + 16);
            return (int)((p & 0xff) << 8 | (p >> 8) & 0xff);
        }
    }

    /// <summary>pcap_nametoport: port of a service and its protocol (PROTO_UNDEF when tcp and udp agree).</summary>
    public static bool Port(string name, out uint port, out uint proto)
    {
        // getaddrinfo, which libpcap uses, also takes a numeric service for every protocol.
        bool numeric = name.Length is > 0 and <= 5;
        foreach (char c in name) numeric &= char.IsAsciiDigit(c);
        int tcp, udp;
        if (numeric && int.Parse(name, System.Globalization.CultureInfo.InvariantCulture) <= 65535) tcp = udp = int.Parse(name, System.Globalization.CultureInfo.InvariantCulture);
        else { tcp = ServicePort(name, "tcp"); udp = ServicePort(name, "udp"); }
        port = 0;
        proto = unchecked((uint)ProtoUndef);
        if (tcp >= 0)
        {
            port = (uint)tcp;
            proto = IpProtoTcp;
            if (udp >= 0 && udp == tcp) proto = unchecked((uint)ProtoUndef);
            return true;
        }
        if (udp >= 0) { port = (uint)udp; proto = IpProtoUdp; return true; }
        return false;
    }

    /// <summary>pcap_nametoportrange: "p1-p2" with numbers or service names.</summary>
    public static bool PortRange(string name, out uint p1, out uint p2, out uint proto)
    {
        p1 = p2 = 0;
        proto = unchecked((uint)ProtoUndef);
        if (ScanTwoNumbers(name, out int a, out int b)) { p1 = (uint)a; p2 = (uint)b; return true; }
        int dash = name.IndexOf('-');
        if (dash < 0) return false;
        if (!Port(name[..dash], out p1, out proto)) return false;
        uint saved = proto;
        if (!Port(name[(dash + 1)..], out p2, out proto)) return false;
        if (proto != saved) proto = unchecked((uint)ProtoUndef);
        return true;
    }

    /// <summary>sscanf(name, "%d-%d") == 2.</summary>
    private static bool ScanTwoNumbers(string s, out int a, out int b)
    {
        a = b = 0;
        int i = 0;
        if (!ScanInt(s, ref i, out a)) return false;
        if (i >= s.Length || s[i] != '-') return false;
        i++;
        return ScanInt(s, ref i, out b);
    }

    private static bool ScanInt(string s, ref int i, out int v)
    {
        v = 0;
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
        bool neg = false;
        if (i < s.Length && s[i] is '+' or '-') { neg = s[i] == '-'; i++; }
        int start = i;
        long n = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) { n = n * 10 + (s[i] - '0'); i++; }
        if (i == start) return false;
        v = (int)(neg ? -n : n);
        return true;
    }

    /// <summary>pcap_nametoproto: an IP protocol number, or PROTO_UNDEF.</summary>
    public static int Protocol(string name)
    {
        lock (Libc.NetdbLock)
        {
            byte* p = Libc.GetProtoByName(name);
            return p == null ? ProtoUndef : *(int*)(p + 16);
        }
    }

    /// <summary>pcap_nametoeproto.</summary>
    public static int EtherProtocol(string name)
    {
        foreach (var (n, t) in EtherProtocols) if (n == name) return t;
        return ProtoUndef;
    }

    /// <summary>pcap_nametollc.</summary>
    public static int LlcProtocol(string name)
    {
        foreach (var (n, s) in LlcProtocols) if (n == name) return s;
        return ProtoUndef;
    }

    /// <summary>pcap_ether_hostton through the C library (/etc/ethers), or null.</summary>
    public static byte[]? EtherHost(string name)
    {
        byte* e = stackalloc byte[6];
        return Libc.EtherHostton(name, e) == 0 ? new ReadOnlySpan<byte>(e, 6).ToArray() : null;
    }

    private static int XdToI(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>pcap_ether_aton: hex bytes separated by ':', '.' or '-' (or none), as libpcap reads them.</summary>
    public static byte[] EtherAton(string s)
    {
        var e = new List<byte>(6);
        int i = 0;
        while (i < s.Length)
        {
            if (s[i] is ':' or '.' or '-') i++;
            int d = i < s.Length ? XdToI(s[i++]) : 0;
            if (i < s.Length && Uri.IsHexDigit(s[i])) { d = d << 4 | XdToI(s[i++]); }
            e.Add((byte)d);
        }
        while (e.Count < 6) e.Add(0);
        return [.. e];
    }
}
