using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Names;

/// <summary>libpcap's nametoaddr.c: names of hosts, networks, ports, protocols and MAC addresses, through the C library.</summary>
public static unsafe class NameResolver
{
    public const int ProtoUndef = -1;
    private const int IpProtoTcp = 6, IpProtoUdp = 17;

    /// <summary>Ethernet types by name, in eproto_db's order.</summary>
    public static readonly (string Name, ushort Type)[] EtherProtocols =
    [
        ("aarp", 0x80f3), ("arp", 0x0806), ("atalk", 0x809b), ("decnet", 0x6003), ("ip", 0x0800), ("ip6", 0x86dd),
        ("lat", 0x6004), ("loopback", 0x9000), ("mopdl", 0x6001), ("moprc", 0x6002), ("rarp", 0x8035), ("sca", 0x6007),
    ];

    /// <summary>LLC SAPs by name (llc_db).</summary>
    public static readonly (string Name, byte Sap)[] LlcProtocols = [("iso", 0xfe), ("stp", 0x42), ("ipx", 0xe0), ("netbeui", 0xf0)];

    /// <summary>pcap_nametoaddrinfo: getaddrinfo's list (the caller frees it with freeaddrinfo), or null.</summary>
    public static IntPtr AddrInfo(string name)
    {
        Netdb.AddrInfo hints = default;
        hints.SockType = Netdb.SockStream;
        hints.Protocol = Netdb.IpProtoTcp;
        Netdb.AddrInfo* res;
        return Netdb.GetAddrInfo(name, null, &hints, &res) != 0 ? IntPtr.Zero : (IntPtr)res;
    }

    /// <summary>The 16 bytes of a numeric IPv6 address as getaddrinfo (AI_NUMERICHOST) reads it, or null.</summary>
    public static byte[]? NumericIpv6(string text)
    {
        Netdb.AddrInfo hints = default;
        hints.Family = Netdb.AfInet6;
        hints.Flags = Netdb.AiNumericHost;
        Netdb.AddrInfo* res;
        if (Netdb.GetAddrInfo(text, null, &hints, &res) != 0) return null;
        var bytes = res->Family == Netdb.AfInet6 ? new ReadOnlySpan<byte>(res->Addr + 8, 16).ToArray() : null;
        Netdb.FreeAddrInfo(res);
        return bytes;
    }

    /// <summary>Every address (4 or 16 bytes) of a host, in resolver order (what gencode walks).</summary>
    public static List<byte[]> HostAddresses(string name)
    {
        var list = new List<byte[]>();
        var res = (Netdb.AddrInfo*)AddrInfo(name);
        for (var ai = res; ai != null; ai = ai->Next)
        {
            if (ai->Family == Netdb.AfInet) list.Add(new ReadOnlySpan<byte>(ai->Addr + 4, 4).ToArray());
            else if (ai->Family == Netdb.AfInet6) list.Add(new ReadOnlySpan<byte>(ai->Addr + 8, 16).ToArray());
        }
        if (res != null) Netdb.FreeAddrInfo(res);
        return list;
    }

    /// <summary>
    /// pcap_nametoaddr: gethostbyname's address list with each IPv4 address turned to host byte order in
    /// place; the list is the C library's static storage, valid until its next host lookup.
    /// </summary>
    public static IntPtr HostAddressList(string name)
    {
        lock (Netdb.StaticResultLock)
        {
            byte* hp = Netdb.GetHostByName(name);
            if (hp == null) return IntPtr.Zero;
            uint** list = *(uint***)(hp + 24);
            for (uint** p = list; *p != null; p++)
                **p = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(**p);
            return (IntPtr)list;
        }
    }

    /// <summary>pcap_nametonetaddr: the network number in host order, 0 when unknown.</summary>
    public static uint NetworkAddress(string name)
    {
        lock (Netdb.StaticResultLock)
        {
            byte* np = Netdb.GetNetByName(name);
            return np == null ? 0 : *(uint*)(np + 20);
        }
    }

    /// <summary>
    /// The port of a service for one protocol, as libpcap's getaddrinfo(NULL, name) with that protocol's hints gives
    /// it, or -1. glibc's getaddrinfo takes the port from the name itself when strtoul reads it whole and the value
    /// as an int is not negative (truncated to 16 bits), and from getservbyname_r(name, "tcp" or "udp") otherwise;
    /// it is asked here in the same way, which spares getaddrinfo's work for the loopback addresses it returns
    /// with the port (a netlink dump and UDP connects to sort them, most of a pcap_compile with a port name).
    /// </summary>
    private static int ServicePort(string name, int protocol)
    {
        if (name.Length == 0) return 0; // no service at all to getaddrinfo: port 0
        if (StrtoulWhole(name, out ulong number) && (int)number >= 0) return (ushort)number;
        byte* servent = stackalloc byte[Netdb.ServentSize];
        byte* onStack = stackalloc byte[1024];
        byte[]? grown = null;
        while (true)
        {
            byte* found;
            int rc;
            fixed (byte* g = grown)
                rc = Netdb.GetServByNameR(name, protocol == IpProtoTcp ? "tcp" : "udp", servent,
                    grown == null ? onStack : g, grown == null ? 1024 : (nuint)grown.Length, &found);
            if (rc == ERANGE && (grown?.Length ?? 1024) < 1 << 20) { grown = new byte[(grown?.Length ?? 1024) * 4]; continue; }
            if (rc != 0 || found == null) return -1;
            byte* port = found + Netdb.ServentPortOffset;
            return port[0] << 8 | port[1];
        }
    }

    /// <summary>strtoul(s, &amp;end, 10) with *end == '\0': blanks, a sign, at least one digit; ULONG_MAX on overflow, negated for '-'.</summary>
    private static bool StrtoulWhole(string s, out ulong value)
    {
        value = 0;
        int i = 0;
        while (i < s.Length && s[i] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r') i++;
        bool negative = i < s.Length && s[i] == '-';
        if (i < s.Length && s[i] is '+' or '-') i++;
        int digits = i;
        bool overflow = false;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            ulong d = (ulong)(s[i] - '0');
            if (value > (ulong.MaxValue - d) / 10) overflow = true;
            else value = value * 10 + d;
        }
        if (i == digits || i != s.Length) return false;
        value = overflow ? ulong.MaxValue : negative ? unchecked(0 - value) : value;
        return true;
    }

    /// <summary>pcap_nametoport: port of a service and its protocol (PROTO_UNDEF when tcp and udp agree).</summary>
    public static bool Port(string name, out uint port, out uint proto)
    {
        int tcp = ServicePort(name, IpProtoTcp), udp = ServicePort(name, IpProtoUdp);
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
        b = 0;
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
        ulong n = 0;
        bool over = false;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            uint d = (uint)(s[i] - '0');
            if (n > (ulong.MaxValue - d) / 10) over = true;
            else n = n * 10 + d;
        }
        if (i == start) return false;
        // glibc's %d: strtol's long, saturated at its limits, then truncated to int ("1-1000...0" gives -1).
        long l = neg ? (over || n > 1UL << 63 ? long.MinValue : unchecked(-(long)n))
                     : (over || n > long.MaxValue ? long.MaxValue : (long)n);
        v = unchecked((int)l);
        return true;
    }

    /// <summary>pcap_nametoproto: an IP protocol number, or PROTO_UNDEF.</summary>
    public static int Protocol(string name)
    {
        lock (Netdb.StaticResultLock)
        {
            byte* p = Netdb.GetProtoByName(name);
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

    /// <summary>pcap_ether_hostton through the C library's ether_hostton (/etc/ethers), or null.</summary>
    public static byte[]? EtherHost(string name)
    {
        byte* e = stackalloc byte[6];
        return Netdb.EtherHostton(name, e) == 0 ? new ReadOnlySpan<byte>(e, 6).ToArray() : null;
    }

    /// <summary>libpcap's xdtoi, as a byte: a character that is no hex digit counts as an upper-case letter ('$' is 0xed).</summary>
    private static int XdToI(int c) => (byte)(c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c - 'A' + 10);
    private static bool IsXDigit(int c) => c is >= '0' and <= '9' or >= 'a' and <= 'f' or >= 'A' and <= 'F';
    private static bool IsSpace(int c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    /// <summary>pcap_ether_aton: hex bytes separated by ':', '.' or '-' (or none), as libpcap reads them (at most 6).</summary>
    public static byte[] EtherAton(string s)
    {
        var e = new byte[6];
        int i = 0, n = 0;
        while (i < s.Length && n < 6)
        {
            if (s[i] is ':' or '.' or '-') i++;
            int d = i < s.Length ? XdToI(s[i++]) : 0;
            if (i < s.Length && IsXDigit(s[i])) d = d << 4 | XdToI(s[i++]);
            e[n++] = (byte)d;
        }
        return e;
    }

    /// <summary>struct pcap_etherent: addr[6], name[122].</summary>
    public const int EtherentSize = 128;

    private static int SkipSpace(IntPtr f)
    {
        int c;
        do c = Stdio.Getc(f); while (IsSpace(c) && c != '\n');
        return c;
    }

    private static int SkipLine(IntPtr f)
    {
        int c;
        do c = Stdio.Getc(f); while (c != '\n' && c != -1);
        return c;
    }

    /// <summary>pcap_next_etherent: the next "MAC name" line of an ethers file into <paramref name="entry"/>; false at EOF.</summary>
    public static bool NextEtherent(IntPtr fp, byte* entry)
    {
        new Span<byte>(entry, EtherentSize).Clear();
        while (true)
        {
            int c = SkipSpace(fp);
            if (c == -1) return false;
            if (c == '\n') continue;
            if (!IsXDigit(c))
            {
                if (SkipLine(fp) == -1) return false;
                continue;
            }
            for (int i = 0; i < 6; i++)
            {
                int d = XdToI(c);
                c = Stdio.Getc(fp);
                if (c == -1) return false;
                if (IsXDigit(c))
                {
                    d = d << 4 | XdToI(c);
                    c = Stdio.Getc(fp);
                    if (c == -1) return false;
                }
                entry[i] = (byte)d;
                if (c != ':') break;
                c = Stdio.Getc(fp);
                if (c == -1) return false;
            }
            if (!IsSpace(c))
            {
                if (SkipLine(fp) == -1) return false;
                continue;
            }
            c = SkipSpace(fp);
            if (c == -1) return false;
            if (c == '\n') continue;
            if (c == '#')
            {
                if (SkipLine(fp) == -1) return false;
                continue;
            }
            byte* bp = entry + 6;
            int room = EtherentSize - 6 - 1;
            do
            {
                *bp++ = (byte)c;
                c = Stdio.Getc(fp);
                if (c == -1) return false;
            } while (!IsSpace(c) && --room != 0);
            *bp = 0;
            if (c != '\n') SkipLine(fp);
            return true;
        }
    }
}
