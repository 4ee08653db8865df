using System;
using Pcap.Engine.Handles;
using Pcap.Engine.Names;

namespace Pcap.Engine.Compiler;

/// <summary>Addresses, protocols and ports: gencode.c's gen_host, gen_proto, gen_port and the *code entry points.</summary>
internal sealed partial class CodeGenerator
{
    private const uint ProtoUndef = unchecked((uint)-1);

    /// <summary>The mask of a whole IPv6 address (read only).</summary>
    private static readonly byte[] Ipv6HostMask = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
    private const uint IpProtoTcp = 6, IpProtoUdp = 17, IpProtoSctp = 132;

    private static readonly string[] ProtoNames =
    [
        "", "link", "ip", "arp", "rarp", "sctp", "tcp", "udp", "icmp", "igmp", "igrp", "atalk", "decnet", "lat", "sca",
        "moprc", "mopdl", "ip6", "icmp6", "ah", "esp", "pim", "vrrp", "aarp", "iso", "esis", "isis", "clnp", "stp", "ipx",
        "netbeui", "l1", "l2", "iih", "snp", "csnp", "psnp", "lsp", "radio", "carp",
    ];

    private static string DirError(int dir, string what) => dir switch
    {
        Q.Addr1 => $"'addr1' and 'address1' are not valid qualifiers for {what}",
        Q.Addr2 => $"'addr2' and 'address2' are not valid qualifiers for {what}",
        Q.Addr3 => $"'addr3' and 'address3' are not valid qualifiers for {what}",
        Q.Addr4 => $"'addr4' and 'address4' are not valid qualifiers for {what}",
        Q.Ra => $"'ra' is not a valid qualifier for {what}",
        _ => $"'ta' is not a valid qualifier for {what}",
    };

    private Block HostOp(uint addr, uint mask, int dir, uint llProto, uint srcOff, uint dstOff)
    {
        uint offset;
        switch (dir)
        {
            case Q.Src: offset = srcOff; break;
            case Q.Dst: offset = dstOff; break;
            case Q.And:
                {
                    var b0 = HostOp(addr, mask, Q.Src, llProto, srcOff, dstOff);
                    var b1 = HostOp(addr, mask, Q.Dst, llProto, srcOff, dstOff);
                    And(b0, b1);
                    return b1;
                }
            case Q.Default: case Q.Or:
                {
                    var b0 = HostOp(addr, mask, Q.Src, llProto, srcOff, dstOff);
                    var b1 = HostOp(addr, mask, Q.Dst, llProto, srcOff, dstOff);
                    Or(b0, b1);
                    return b1;
                }
            default: return Fail(DirError(dir, "addresses other than 802.11 MAC addresses"));
        }
        var l = LinkType(llProto);
        var c = Mcmp(OffRel.LinkPl, offset, Op.W, addr, mask);
        And(l, c);
        return c;
    }

    private Block HostOp6(byte[] addr, byte[] mask, int dir, uint srcOff, uint dstOff)
    {
        uint offset;
        switch (dir)
        {
            case Q.Src: offset = srcOff; break;
            case Q.Dst: offset = dstOff; break;
            case Q.And:
                {
                    var b0 = HostOp6(addr, mask, Q.Src, srcOff, dstOff);
                    var b1 = HostOp6(addr, mask, Q.Dst, srcOff, dstOff);
                    And(b0, b1);
                    return b1;
                }
            case Q.Default: case Q.Or:
                {
                    var b0 = HostOp6(addr, mask, Q.Src, srcOff, dstOff);
                    var b1 = HostOp6(addr, mask, Q.Dst, srcOff, dstOff);
                    Or(b0, b1);
                    return b1;
                }
            default: return Fail(DirError(dir, "addresses other than 802.11 MAC addresses"));
        }
        static uint W(byte[] a, int i) => (uint)(a[i] << 24 | a[i + 1] << 16 | a[i + 2] << 8 | a[i + 3]);
        var b = Mcmp(OffRel.LinkPl, offset + 12, Op.W, W(addr, 12), W(mask, 12));
        var t = Mcmp(OffRel.LinkPl, offset + 8, Op.W, W(addr, 8), W(mask, 8));
        And(t, b);
        t = Mcmp(OffRel.LinkPl, offset + 4, Op.W, W(addr, 4), W(mask, 4));
        And(t, b);
        t = Mcmp(OffRel.LinkPl, offset, Op.W, W(addr, 0), W(mask, 0));
        And(t, b);
        t = LinkType(EtherTypeIpv6);
        And(t, b);
        return b;
    }

    private Block Host(uint addr, uint mask, int proto, int dir, int type)
    {
        string typestr = type == Q.Net ? "net" : "host";
        switch (proto)
        {
            case Q.Default:
                {
                    var b0 = Host(addr, mask, Q.Ip, dir, type);
                    if (_labelStackDepth == 0)
                    {
                        var b1 = Host(addr, mask, Q.Arp, dir, type);
                        Or(b0, b1);
                        b0 = Host(addr, mask, Q.Rarp, dir, type);
                        Or(b1, b0);
                    }
                    return b0;
                }
            case Q.Link: return Fail($"link-layer modifier applied to {typestr}");
            case Q.Ip: return HostOp(addr, mask, dir, EtherTypeIp, 12, 16);
            case Q.Rarp: return HostOp(addr, mask, dir, EtherTypeRevArp, 14, 24);
            case Q.Arp: return HostOp(addr, mask, dir, EtherTypeArp, 14, 24);
            case Q.Atalk: return Fail("AppleTalk host filtering not implemented");
            case Q.Decnet: return DnHostOp(addr, dir);
            case Q.Lat: return Fail("LAT host filtering not implemented");
            case Q.Sca: return Fail("SCA host filtering not implemented");
            case Q.Moprc: return Fail("MOPRC host filtering not implemented");
            case Q.Mopdl: return Fail("MOPDL host filtering not implemented");
            case Q.Ipv6: return Fail("'ip6' modifier applied to ip host");
            case Q.Iso: return Fail("ISO host filtering not implemented");
            case Q.Ipx: return Fail("IPX host filtering not implemented");
            case Q.Aarp: return Fail("AARP host filtering not implemented");
            default: return Fail($"'{ProtoNames[proto]}' modifier applied to {typestr}");
        }
    }

    private Block Host6(byte[] addr, byte[] mask, int proto, int dir, int type)
    {
        string typestr = type == Q.Net ? "net" : "host";
        switch (proto)
        {
            case Q.Default: case Q.Ipv6: return HostOp6(addr, mask, dir, 8, 24);
            case Q.Link: return Fail($"link-layer modifier applied to ip6 {typestr}");
            case Q.Atalk: return Fail($"AppleTalk modifier applied to ip6 {typestr}");
            default: return Fail($"'{ProtoNames[proto]}' modifier applied to ip6 {typestr}");
        }
    }

    /// <summary>DECnet address match (gen_dnhostop).</summary>
    private Block DnHostOp(uint addr, int dir)
    {
        uint offsetSh, offsetLh;
        switch (dir)
        {
            case Q.Dst: offsetSh = 1; offsetLh = 7; break;
            case Q.Src: offsetSh = 3; offsetLh = 15; break;
            case Q.And:
                {
                    var b0 = DnHostOp(addr, Q.Src);
                    var b1 = DnHostOp(addr, Q.Dst);
                    And(b0, b1);
                    return b1;
                }
            case Q.Default: case Q.Or:
                {
                    var b0 = DnHostOp(addr, Q.Src);
                    var b1 = DnHostOp(addr, Q.Dst);
                    Or(b0, b1);
                    return b1;
                }
            default: return Fail(DirError(dir, "addresses other than 802.11 MAC addresses"));
        }
        uint swapped = (addr & 0xff) << 8 | (addr >> 8) & 0xff;
        // Check for pad = 1, long header case
        var tmp = Mcmp(OffRel.LinkPl, 2, Op.H, 0x8106, 0xff07);
        var b1x = Cmp(OffRel.LinkPl, 2 + 1 + offsetLh, Op.H, swapped);
        And(tmp, b1x);
        // pad = 0, long header case
        tmp = Mcmp(OffRel.LinkPl, 2, Op.B, 0x06, 0x07);
        var b2 = Cmp(OffRel.LinkPl, 2 + offsetLh, Op.H, swapped);
        And(tmp, b2);
        Or(b2, b1x);
        // pad = 1, short header case
        tmp = Mcmp(OffRel.LinkPl, 2, Op.H, 0x8102, 0xff07);
        b2 = Cmp(OffRel.LinkPl, 2 + 1 + offsetSh, Op.H, swapped);
        And(tmp, b2);
        Or(b2, b1x);
        // pad = 0, short header case
        tmp = Mcmp(OffRel.LinkPl, 2, Op.B, 0x02, 0x07);
        b2 = Cmp(OffRel.LinkPl, 2 + offsetSh, Op.H, swapped);
        And(tmp, b2);
        Or(b2, b1x);
        // Combine with test for cstate->linktype
        var l = LinkType(EtherTypeDn);
        And(l, b1x);
        return b1x;
    }

    /// <summary>__pcap_atoin: dotted IPv4 prefix; returns its length in bits, or -1.</summary>
    private static int AtoIn(string s, out uint addr)
    {
        addr = 0;
        int len = 0;
        foreach (var part in s.Split('.'))
        {
            uint n = 0;
            foreach (char c in part)
            {
                n = n * 10 + (uint)(c - '0');
                if (n > 255) return -1;
            }
            addr = addr << 8 | n;
            len += 8;
        }
        return len;
    }

    /// <summary>__pcap_atodn: "area.node" as sscanf reads it; 0 when it does not.</summary>
    private static int AtoDn(string s, out uint addr)
    {
        addr = 0;
        // __pcap_atodn: sscanf(s, "%d.%d"): blanks and a sign allowed, a value past the range of long
        // saturates (strtol) and is then cut to an int.
        int i = 0;
        if (!ScanInt(s, ref i, out int area) || i >= s.Length || s[i] != '.') return 0;
        i++;
        if (!ScanInt(s, ref i, out int node)) return 0;
        addr = ((uint)area << 10) & 0xfc00 | (uint)node & 0x3ff;
        return 32;
    }

    private static bool ScanInt(string s, ref int i, out int value)
    {
        value = 0;
        while (i < s.Length && s[i] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r') i++;
        bool negative = false;
        if (i < s.Length && s[i] is '+' or '-') negative = s[i++] == '-';
        int start = i;
        long v = 0;
        bool saturated = false;
        for (; i < s.Length && s[i] is >= '0' and <= '9'; i++)
        {
            if (saturated) continue;
            if (v > (long.MaxValue - (s[i] - '0')) / 10) saturated = true;
            else v = v * 10 + (s[i] - '0');
        }
        if (i == start) return false;
        long result = saturated ? (negative ? long.MinValue : long.MaxValue) : (negative ? -v : v);
        value = (int)result;
        return true;
    }

    /// <summary>gen_ncode: a dotted address (HID) or a number under the current qualifiers.</summary>
    public Block NumberCode(string? s, uint v, Qual q)
    {
        int proto = q.Proto, dir = q.Dir, vlen;
        if (s == null) vlen = 32;
        else if (q.Proto == Q.Decnet)
        {
            vlen = AtoDn(s, out v);
            if (vlen == 0) return Fail($"malformed decnet address '{s}'");
        }
        else
        {
            vlen = AtoIn(s, out v);
            if (vlen < 0) return Fail($"invalid IPv4 address '{s}'");
        }
        switch (q.Addr)
        {
            case Q.Default: case Q.Host: case Q.Net:
                if (proto == Q.Decnet) return Host(v, 0, proto, dir, q.Addr);
                if (proto == Q.Link) return Fail("illegal link layer address");
                uint mask = 0xffffffff;
                if (s == null && q.Addr == Q.Net)
                {
                    while (v != 0 && (v & 0xff000000) == 0) { v <<= 8; mask <<= 8; }
                }
                else
                {
                    v = vlen == 0 ? 0 : v << (32 - vlen);
                    mask = vlen == 0 ? 0 : mask << (32 - vlen);
                }
                return Host(v, mask, proto, dir, q.Addr);
            case Q.Port:
                {
                    uint p = PortProto(proto, "port");
                    if (v > 65535) return Fail($"illegal port number {v} > 65535");
                    var b = Port(v, p, dir);
                    Or(Port6(v, p, dir), b);
                    return b;
                }
            case Q.Portrange:
                {
                    uint p = PortProto(proto, "portrange");
                    if (v > 65535) return Fail($"illegal port number {v} > 65535");
                    var b = PortRange(v, v, p, dir);
                    Or(PortRange6(v, v, p, dir), b);
                    return b;
                }
            case Q.Gateway: return Fail("'gateway' requires a name");
            case Q.Proto: return Proto(v, proto, dir);
            case Q.Protochain: return ProtoChain(v, proto);
            default: return Fail("syntax error in filter expression");
        }
    }

    private uint PortProto(int proto, string what) => proto switch
    {
        Q.Udp => IpProtoUdp, Q.Tcp => IpProtoTcp, Q.Sctp => IpProtoSctp, Q.Default => ProtoUndef,
        _ => FailNumber($"illegal qualifier of '{what}'"),
    };

    /// <summary>gen_mcode: HID/len or HID mask HID.</summary>
    public Block MaskCode(string s1, string? s2, uint masklen, Qual q)
    {
        int nlen = AtoIn(s1, out uint n);
        if (nlen < 0) return Fail($"invalid IPv4 address '{s1}'");
        n = nlen == 0 ? 0 : n << (32 - nlen);
        uint m;
        if (s2 != null)
        {
            int mlen = AtoIn(s2, out m);
            if (mlen < 0) return Fail($"invalid IPv4 address '{s2}'");
            m = mlen == 0 ? 0 : m << (32 - mlen);
            if ((n & ~m) != 0) return Fail($"non-network bits set in \"{s1} mask {s2}\"");
        }
        else
        {
            if (masklen > 32) return Fail("mask length must be <= 32");
            m = masklen == 0 ? 0 : 0xffffffff << (int)(32 - masklen);
            if ((n & ~m) != 0) return Fail($"non-network bits set in \"{s1}/{masklen}\"");
        }
        if (q.Addr != Q.Net) return Fail("Mask syntax for networks only");
        return Host(n, m, q.Proto, q.Dir, q.Addr);
    }

    /// <summary>gen_mcode6: an IPv6 address with a prefix length.</summary>
    public Block MaskCode6(string s, uint masklen, Qual q)
    {
        byte[]? addr = Names.NameResolver.NumericIpv6(s);
        if (addr == null) return Fail($"invalid ip6 address {s}");
        if (masklen > 128) return Fail("mask length must be <= 128");
        byte[] mask = new byte[16];
        for (int i = 0; i < 16; i++)
        {
            int bits = Math.Clamp((int)masklen - i * 8, 0, 8);
            mask[i] = (byte)(0xff00 >> bits);
        }
        for (int i = 0; i < 16; i++)
            if ((addr[i] & ~mask[i]) != 0) return Fail($"non-network bits set in \"{s}/{masklen}\"");
        switch (q.Addr)
        {
            case Q.Default: case Q.Host:
                if (masklen != 128) return Fail("Mask syntax for networks only");
                return Host6(addr, mask, q.Proto, q.Dir, q.Addr);
            case Q.Net:
                return Host6(addr, mask, q.Proto, q.Dir, q.Addr);
            default:
                return Fail("invalid qualifier against IPv6 address");
        }
    }

    /// <summary>gen_scode: a name under the current qualifiers.</summary>
    public Block NameCode(string name, Qual q)
    {
        int proto = q.Proto, dir = q.Dir;
        switch (q.Addr)
        {
            case Q.Net:
                {
                    uint addr = NameResolver.NetworkAddress(name);
                    if (addr == 0) return Fail($"unknown network '{name}'");
                    uint mask = 0xffffffff;
                    while (addr != 0 && (addr & 0xff000000) == 0) { addr <<= 8; mask <<= 8; }
                    return Host(addr, mask, proto, dir, q.Addr);
                }
            case Q.Default: case Q.Host:
                if (proto == Q.Link)
                {
                    if (IsEthernetLike || IsWlan || _linkType is Dlt.Fddi or Dlt.Ieee802 or Dlt.IpOverFc)
                    {
                        var e = NameResolver.EtherHost(name);
                        if (e == null)
                            return Fail(IsEthernetLike ? $"unknown ether host '{name}'" : IsWlan ? $"unknown 802.11 host '{name}'"
                                : _linkType == Dlt.Fddi ? $"unknown FDDI host '{name}'" : _linkType == Dlt.Ieee802 ? $"unknown token ring host '{name}'" : $"unknown Fibre Channel host '{name}'");
                        return MacHost(e, dir);
                    }
                    return Fail("only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel supports link-level host name");
                }
                if (proto == Q.Decnet)
                    return Fail($"decnet name support not included, '{name}' cannot be translated\n");
                {
                    var addrs = NameResolver.HostAddresses(name);
                    if (addrs.Count == 0) return Fail($"unknown host '{name}'");
                    int tproto = proto, tproto6 = proto;
                    if (_offLinkType.ConstantPart == OffsetNotSet && tproto == Q.Default) { tproto = Q.Ip; tproto6 = Q.Ipv6; }
                    Block? b = null;
                    foreach (var a in addrs)
                    {
                        Block tmp;
                        if (a.Length == 4)
                        {
                            if (tproto == Q.Ipv6) continue;
                            tmp = Host((uint)(a[0] << 24 | a[1] << 16 | a[2] << 8 | a[3]), 0xffffffff, tproto, dir, q.Addr);
                        }
                        else
                        {
                            if (tproto6 == Q.Ip) continue;
                            tmp = Host6(a, Ipv6HostMask, tproto6, dir, q.Addr);
                        }
                        if (b != null) Or(b, tmp);
                        b = tmp;
                    }
                    if (b == null) return Fail($"unknown host '{name}'{(proto == Q.Default ? "" : " for specified address family")}");
                    return b;
                }
            case Q.Port:
                {
                    if (proto != Q.Default && proto != Q.Udp && proto != Q.Tcp && proto != Q.Sctp)
                        return Fail("illegal qualifier of 'port'");
                    if (!NameResolver.Port(name, out uint port, out uint realProto)) return Fail($"unknown port '{name}'");
                    realProto = CheckPortProto(proto, realProto, name, range: false);
                    // gencode holds ports in an int: a huge number shows as negative.
                    if ((int)port < 0) return Fail($"illegal port number {(int)port} < 0");
                    if (port > 65535) return Fail($"illegal port number {port} > 65535");
                    var b = Port(port, realProto, dir);
                    Or(Port6(port, realProto, dir), b);
                    return b;
                }
            case Q.Portrange:
                {
                    if (proto != Q.Default && proto != Q.Udp && proto != Q.Tcp && proto != Q.Sctp)
                        return Fail("illegal qualifier of 'portrange'");
                    if (!NameResolver.PortRange(name, out uint p1, out uint p2, out uint realProto))
                        return Fail($"unknown port in range '{name}'");
                    realProto = CheckPortProto(proto, realProto, name, range: true);
                    if ((int)p1 < 0) return Fail($"illegal port number {(int)p1} < 0");
                    if (p1 > 65535) return Fail($"illegal port number {p1} > 65535");
                    if ((int)p2 < 0) return Fail($"illegal port number {(int)p2} < 0");
                    if (p2 > 65535) return Fail($"illegal port number {p2} > 65535");
                    if (p1 > p2) (p1, p2) = (p2, p1);
                    var b = PortRange(p1, p2, realProto, dir);
                    Or(PortRange6(p1, p2, realProto, dir), b);
                    return b;
                }
            case Q.Gateway:
                // libpcap built with IPv6 support (Debian's) has no 'gateway'.
                return Fail("'gateway' not supported in this configuration");
            case Q.Proto:
                {
                    int real = LookupProto(name, proto);
                    if (real >= 0) return Proto((uint)real, proto, dir);
                    return Fail($"unknown protocol: {name}");
                }
            case Q.Protochain:
                {
                    int real = LookupProto(name, proto);
                    if (real >= 0) return ProtoChain((uint)real, proto);
                    return Fail($"unknown protocol: {name}");
                }
            default:
                return Fail("syntax error in filter expression");
        }
    }

    /// <summary>A port name's protocol against the qualifier's: "port 'NAME' is udp" where they disagree.</summary>
    private uint CheckPortProto(int proto, uint realProto, string name, bool range)
    {
        uint wanted = proto switch { Q.Udp => IpProtoUdp, Q.Tcp => IpProtoTcp, Q.Sctp => IpProtoSctp, _ => ProtoUndef };
        if (wanted == ProtoUndef) return realProto;
        if (realProto != wanted && realProto is IpProtoTcp or IpProtoUdp or IpProtoSctp)
        {
            string what = range ? $"port in range '{name}'" : $"port '{name}'";
            return FailNumber($"{what} is {(realProto == IpProtoTcp ? "tcp" : realProto == IpProtoUdp ? "udp" : "sctp")}");
        }
        return wanted;
    }

    /// <summary>A protocol's number, or -1 (its error set where gencode's lookup fails, else the caller's).</summary>
    private int LookupProto(string name, int proto)
    {
        switch (proto)
        {
            case Q.Default: case Q.Ip: case Q.Ipv6:
                {
                    int v = NameResolver.Protocol(name);
                    if (v < 0) _chunks.Fail($"unknown ip proto '{name}'");
                    return v;
                }
            case Q.Link:
                {
                    int v = NameResolver.EtherProtocol(name);
                    if (v < 0) v = NameResolver.LlcProtocol(name);
                    if (v < 0) _chunks.Fail($"unknown ether proto '{name}'");
                    return v;
                }
            case Q.Iso:
                switch (name)
                {
                    case "esis": return 0x82;
                    case "isis": return 0x83;
                    case "clnp": return 0x81;
                }
                _chunks.Fail($"unknown osi proto '{name}'");
                return -1;
            default: return -1;
        }
    }

    // ---- protocols

    public Block Proto(uint v, int proto, int dir)
    {
        if (dir != Q.Default) return Fail("direction applied to 'proto'");
        switch (proto)
        {
            case Q.Default:
                {
                    var b0 = Proto(v, Q.Ip, dir);
                    var b1 = Proto(v, Q.Ipv6, dir);
                    Or(b0, b1);
                    return b1;
                }
            case Q.Link: return LinkType(v);
            case Q.Ip:
                {
                    var b0 = LinkType(EtherTypeIp);
                    var b1 = Cmp(OffRel.LinkPl, 9, Op.B, v);
                    And(b0, b1);
                    return b1;
                }
            case Q.Arp: return Fail("arp does not encapsulate another protocol");
            case Q.Rarp: return Fail("rarp does not encapsulate another protocol");
            case Q.Atalk: return Fail("AppleTalk encapsulation is not specifiable");
            case Q.Decnet: return Fail("DECNET encapsulation is not specifiable");
            case Q.Lat: return Fail("LAT does not encapsulate another protocol");
            case Q.Sca: return Fail("SCA does not encapsulate another protocol");
            case Q.Moprc: return Fail("MOPRC does not encapsulate another protocol");
            case Q.Mopdl: return Fail("MOPDL does not encapsulate another protocol");
            case Q.Ipv6:
                {
                    var b0 = LinkType(EtherTypeIpv6);
                    var b2 = Cmp(OffRel.LinkPl, 6, Op.B, 44);
                    var b1 = Cmp(OffRel.LinkPl, 40, Op.B, v);
                    And(b2, b1);
                    b2 = Cmp(OffRel.LinkPl, 6, Op.B, v);
                    Or(b2, b1);
                    And(b0, b1);
                    return b1;
                }
            case Q.Iso:
                switch (_linkType)
                {
                    // Frame Relay: the NLPID is the protocol.
                    case Dlt.Frelay: return Cmp(OffRel.LinkHdr, 2, Op.H, 0x03 << 8 | v);
                    case Dlt.CHdlc: case Dlt.Hdlc:
                        {
                            var b0 = LinkType(LlcSapIsoNs << 8 | LlcSapIsoNs);
                            var b1 = Cmp(OffRel.LinkPlNoSnap, 1, Op.B, v);
                            And(b0, b1);
                            return b1;
                        }
                    default:
                        {
                            var b0 = LinkType(LlcSapIsoNs);
                            var b1 = Cmp(OffRel.LinkPlNoSnap, 0, Op.B, v);
                            And(b0, b1);
                            return b1;
                        }
                }
            case Q.Isis:
                {
                    var b0 = Proto(0x83, Q.Iso, Q.Default);
                    var b1 = Cmp(OffRel.LinkPlNoSnap, 4, Op.B, v);
                    And(b0, b1);
                    return b1;
                }
            case Q.Clnp: return Fail("'clnp proto' is not supported");
            default: return Fail($"'{ProtoNames[proto]} proto' is bogus");
        }
    }

    public Block ProtoAbbrev(int proto)
    {
        switch (proto)
        {
            case Q.Sctp: return Proto(IpProtoSctp, Q.Default, Q.Default);
            case Q.Tcp: return Proto(IpProtoTcp, Q.Default, Q.Default);
            case Q.Udp: return Proto(IpProtoUdp, Q.Default, Q.Default);
            case Q.Icmp: return Proto(1, Q.Ip, Q.Default);
            case Q.Igmp: return Proto(2, Q.Ip, Q.Default);
            case Q.Igrp: return Proto(9, Q.Ip, Q.Default);
            case Q.Pim: return Proto(103, Q.Default, Q.Default);
            case Q.Vrrp: return Proto(112, Q.Ip, Q.Default);
            case Q.Carp: return Proto(112, Q.Ip, Q.Default);
            case Q.Ip: return LinkType(EtherTypeIp);
            case Q.Arp: return LinkType(EtherTypeArp);
            case Q.Rarp: return LinkType(EtherTypeRevArp);
            case Q.Link: return Fail("link layer applied in wrong context");
            case Q.Atalk: return LinkType(EtherTypeAtalk);
            case Q.Aarp: return LinkType(EtherTypeAarp);
            case Q.Decnet: return LinkType(EtherTypeDn);
            case Q.Sca: return LinkType(EtherTypeSca);
            case Q.Lat: return LinkType(EtherTypeLat);
            case Q.Mopdl: return LinkType(EtherTypeMopDl);
            case Q.Moprc: return LinkType(EtherTypeMopRc);
            case Q.Ipv6: return LinkType(EtherTypeIpv6);
            case Q.Icmpv6: return Proto(58, Q.Ipv6, Q.Default);
            case Q.Ah: return Proto(51, Q.Default, Q.Default);
            case Q.Esp: return Proto(50, Q.Default, Q.Default);
            case Q.Iso: return LinkType(LlcSapIsoNs);
            case Q.Esis: return Proto(0x82, Q.Iso, Q.Default);
            case Q.Isis: return Proto(0x83, Q.Iso, Q.Default);
            case Q.IsisL1: return IsisAny(15, 17, 18, 24, 26);
            case Q.IsisL2: return IsisAny(16, 17, 20, 25, 27);
            case Q.IsisIih: return IsisAny(15, 16, 17);
            case Q.IsisLsp: return IsisAny(18, 20);
            case Q.IsisSnp: return IsisAny(24, 25, 26, 27);
            case Q.IsisCsnp: return IsisAny(24, 25);
            case Q.IsisPsnp: return IsisAny(26, 27);
            case Q.Clnp: return Proto(0x81, Q.Iso, Q.Default);
            case Q.Stp: return LinkType(LlcSap8021D);
            case Q.Ipx: return LinkType(LlcSapIpx);
            case Q.Netbeui: return LinkType(LlcSapNetbeui);
            case Q.Radio: return Fail("'radio' is not a valid protocol type");
            default: return Fail("syntax error in filter expression");
        }
    }

    private Block IsisAny(params uint[] types)
    {
        var b1 = Proto(types[0], Q.Isis, Q.Default);
        for (int i = 1; i < types.Length; i++)
        {
            var b0 = Proto(types[i], Q.Isis, Q.Default);
            Or(b1, b0);
            b1 = b0;
        }
        return b1;
    }

    // ---- ports

    private Block PortOp(uint port, uint proto, int dir, bool range, uint port2)
    {
        var tmp = Cmp(OffRel.LinkPl, 9, Op.B, proto);
        var b0 = IpFrag();
        And(tmp, b0);
        var b1 = PortDirection(OffRel.TranIpv4, dir, range, port, port2);
        And(b0, b1);
        return b1;
    }

    private Block PortOp6(uint port, uint proto, int dir, bool range, uint port2)
    {
        var b0 = Cmp(OffRel.LinkPl, 6, Op.B, proto);
        var b1 = PortDirection(OffRel.TranIpv6, dir, range, port, port2);
        And(b0, b1);
        return b1;
    }

    /// <summary>The source/destination part of gen_portop and gen_portop6: ports (or port ranges) at the transport header.</summary>
    private Block PortDirection(OffRel tran, int dir, bool range, uint port, uint port2)
    {
        Block Atom(uint off) => range ? RangeAtom(tran, off, port, port2) : Cmp(tran, off, Op.H, port);
        switch (dir)
        {
            case Q.Src: return Atom(0);
            case Q.Dst: return Atom(2);
            case Q.And: { var t = Atom(0); var b1 = Atom(2); And(t, b1); return b1; }
            case Q.Default: case Q.Or: { var t = Atom(0); var b1 = Atom(2); Or(t, b1); return b1; }
            default: return Fail(DirError(dir, range ? "port ranges" : "ports"));
        }
    }

    private Block RangeAtom(OffRel rel, uint off, uint v1, uint v2)
    {
        if (v1 > v2) (v1, v2) = (v2, v1);
        var b1 = CmpGe(rel, off, Op.H, v1);
        var b2 = CmpLe(rel, off, Op.H, v2);
        And(b1, b2);
        return b2;
    }

    private Block PortAny(bool v6, uint port, uint proto, int dir, bool range, uint port2)
    {
        var b0 = LinkType(v6 ? EtherTypeIpv6 : EtherTypeIp);
        Block b1;
        Block One(uint p) => v6 ? PortOp6(port, p, dir, range, port2) : PortOp(port, p, dir, range, port2);
        if (proto == ProtoUndef)
        {
            var tmp = One(IpProtoTcp);
            b1 = One(IpProtoUdp);
            Or(tmp, b1);
            tmp = One(IpProtoSctp);
            Or(tmp, b1);
        }
        else b1 = One(proto);
        And(b0, b1);
        return b1;
    }

    private Block Port(uint port, uint proto, int dir) => PortAny(false, port, proto, dir, false, 0);
    private Block Port6(uint port, uint proto, int dir) => PortAny(true, port, proto, dir, false, 0);
    private Block PortRange(uint p1, uint p2, uint proto, int dir) => PortAny(false, p1, proto, dir, true, p2);
    private Block PortRange6(uint p1, uint p2, uint proto, int dir) => PortAny(true, p1, proto, dir, true, p2);
}
