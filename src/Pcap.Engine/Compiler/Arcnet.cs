using Pcap.Engine.Handles;

namespace Pcap.Engine.Compiler;

/// <summary>ARCnet (DLT_ARCNET, DLT_ARCNET_LINUX): one-byte addresses and a one-byte protocol ID (gencode.c's gen_linktype case and gen_ahostop).</summary>
internal sealed partial class CodeGenerator
{
    private const uint ArcTypeIpOld = 240, ArcTypeArpOld = 241, ArcTypeIp = 212, ArcTypeArp = 213, ArcTypeRevArp = 214,
        ArcTypeAtalk = 221, ArcTypeInet6 = 0xc4;

    private static readonly byte[] ArcnetBroadcast = [0];

    private bool IsArcnet => _linkType is Dlt.Arcnet or Dlt.ArcnetLinux;

    private Block ArcnetLinkType(uint proto)
    {
        switch (proto)
        {
            case EtherTypeIpv6: return Cmp(OffRel.LinkType, 0, Op.B, ArcTypeInet6);
            case EtherTypeIp:
                {
                    var b0 = Cmp(OffRel.LinkType, 0, Op.B, ArcTypeIp);
                    var b1 = Cmp(OffRel.LinkType, 0, Op.B, ArcTypeIpOld);
                    Or(b0, b1);
                    return b1;
                }
            case EtherTypeArp:
                {
                    var b0 = Cmp(OffRel.LinkType, 0, Op.B, ArcTypeArp);
                    var b1 = Cmp(OffRel.LinkType, 0, Op.B, ArcTypeArpOld);
                    Or(b0, b1);
                    return b1;
                }
            case EtherTypeRevArp: return Cmp(OffRel.LinkType, 0, Op.B, ArcTypeRevArp);
            case EtherTypeAtalk: return Cmp(OffRel.LinkType, 0, Op.B, ArcTypeAtalk);
            default: return False();
        }
    }

    /// <summary>gen_ahostop: source address in byte 0, destination in byte 1.</summary>
    private Block ArcnetHostOp(byte[] addr, int dir)
    {
        switch (dir)
        {
            case Q.Src: return Bcmp(OffRel.LinkHdr, 0, 1, addr);
            case Q.Dst: return Bcmp(OffRel.LinkHdr, 1, 1, addr);
            case Q.And: { var b0 = ArcnetHostOp(addr, Q.Src); var b1 = ArcnetHostOp(addr, Q.Dst); And(b0, b1); return b1; }
            case Q.Default: case Q.Or: { var b0 = ArcnetHostOp(addr, Q.Src); var b1 = ArcnetHostOp(addr, Q.Dst); Or(b0, b1); return b1; }
            default: return Fail(OnlyOn80211(dir));
        }
    }

    /// <summary>The refusal of 802.11-only direction qualifiers by the non-Ethernet MAC host tests (gen_fhostop, gen_thostop, gen_ipfchostop, gen_ahostop).</summary>
    private static string OnlyOn80211(int dir) => dir switch
    {
        Q.Addr1 => "'addr1' and 'address1' are only supported on 802.11",
        Q.Addr2 => "'addr2' and 'address2' are only supported on 802.11",
        Q.Addr3 => "'addr3' and 'address3' are only supported on 802.11",
        Q.Addr4 => "'addr4' and 'address4' are only supported on 802.11",
        Q.Ra => "'ra' is only supported on 802.11",
        _ => "'ta' is only supported on 802.11",
    };

    /// <summary>gen_acode: an ARCnet address ($XX).</summary>
    public Block ArcnetCode(string s, Qual q)
    {
        if (!IsArcnet) return Fail("aid supported only on ARCnet");
        if ((q.Addr == Q.Host || q.Addr == Q.Default) && q.Proto == Q.Link)
            return ArcnetHostOp(Names.NameResolver.EtherAton(s), q.Dir); // the '$' too, as gen_acode passes it (libpcap quirk)
        return Fail("ARCnet address used in non-arc expression");
    }
}
