using Pcap.Engine.Handles;

namespace Pcap.Engine.Compiler;

/// <summary>DLT_ values the compiler knows (pcap/dlt.h).</summary>
internal static class Dlt
{
    public const int Null = 0, En10Mb = 1, Ieee802 = 6, Arcnet = 7, Slip = 8, Ppp = 9, Fddi = 10, Raw = 12,
        PppBsdos = 16, SlipBsdos = 15, AtmRfc1483 = 11, PppSerial = 50, PppEther = 51, CHdlc = 104, Ieee80211 = 105,
        Frelay = 107, Loop = 108, Enc = 109, LinuxSll = 113, Ltalk = 114, Pflog = 117, PrismHeader = 119,
        IpOverFc = 122, SunAtm = 123, Ieee80211Radio = 127, ArcnetLinux = 129, IeeeRadioAvs = 163, Ppi = 192,
        Ipv4 = 228, Ipv6 = 229, NetAnalyzer = 240, NetAnalyzerTransparent = 241, LinuxSll2 = 276;

    /// <summary>
    /// The link types libpcap 1.10.3 compiles for at all: those with a layout in its gencode.c, and
    /// the DLT_MATCHING range (104..289), where it offers raw link[...] filtering.
    /// </summary>
    public static bool LibpcapCompilesFor(int dlt) =>
        dlt is 0 or 1 or 6 or 7 or 8 or 9 or 10 or 11 or 12 or 15 or 16 or 19 or 50 or 51 or 99 or (>= 104 and <= 289);

    /// <summary>pcap_datalink_val_to_description_or_dlt for the link types named in error texts.</summary>
    public static string Description(int dlt) => dlt switch
    {
        Null => "BSD loopback", En10Mb => "Ethernet", Ppp => "PPP", Raw => "Raw IP", Loop => "OpenBSD loopback",
        LinuxSll => "Linux cooked v1", LinuxSll2 => "Linux cooked v2", Ieee80211 => "802.11",
        Ieee80211Radio => "802.11 plus radiotap header", PrismHeader => "802.11 plus Prism header",
        IeeeRadioAvs => "802.11 plus AVS radio information header", Ppi => "Per-Packet Information",
        Fddi => "FDDI", Ieee802 => "Token ring", Slip => "SLIP", CHdlc => "Cisco HDLC", Ipv4 => "Raw IPv4", Ipv6 => "Raw IPv6",
        Enc => "OpenBSD encapsulated IP", PppSerial => "PPP over serial", PppEther => "PPPoE",
        _ => LinkTypes.LinkTypeTable.Description(dlt) ?? $"DLT {dlt}",
    };
}

internal sealed partial class CodeGenerator
{
    private int _linkType, _prevLinkType = -1;
    private AbsOffset _offLinkHdr = new(), _offPrevLinkHdr = new(), _offLinkType = new(), _offLinkPl = new(), _offOuterLinkHdr = new(), _offOuterLinkPl = new();
    private uint _offNl, _offNlNoSnap;
    private bool _hasRadioHeader;
    private int _labelStackDepth, _vlanStackDepth;
    private int _outerLinkType = -1;

    private void InitLinkType(int dlt)
    {
        _linkType = dlt;
        _offLinkHdr = new AbsOffset();
        _offLinkType = new AbsOffset();
        _offLinkPl = new AbsOffset();
        switch (dlt)
        {
            case Dlt.En10Mb: case Dlt.NetAnalyzer: case Dlt.NetAnalyzerTransparent:
                _offLinkType.ConstantPart = 12; _offLinkPl.ConstantPart = 14; _offNl = 0; _offNlNoSnap = 3;
                if (dlt == Dlt.NetAnalyzer) { _offLinkHdr.ConstantPart = 4; _offLinkType.ConstantPart = 16; _offLinkPl.ConstantPart = 18; }
                if (dlt == Dlt.NetAnalyzerTransparent) { _offLinkHdr.ConstantPart = 12; _offLinkType.ConstantPart = 24; _offLinkPl.ConstantPart = 26; }
                break;
            case Dlt.Null: case Dlt.Loop: case Dlt.Enc:
                _offLinkType.ConstantPart = 0; _offLinkPl.ConstantPart = 4; _offNl = 0; _offNlNoSnap = 0;
                if (dlt == Dlt.Enc) _offLinkPl.ConstantPart = 12;
                break;
            case Dlt.Ppp: case Dlt.PppSerial: case Dlt.CHdlc:
                _offLinkType.ConstantPart = 2; _offLinkPl.ConstantPart = 4; _offNl = 0; _offNlNoSnap = 0;
                break;
            case Dlt.PppEther:
                _offLinkType.ConstantPart = 6; _offLinkPl.ConstantPart = 8; _offNl = 0; _offNlNoSnap = 0;
                break;
            case Dlt.Raw: case Dlt.Ipv4: case Dlt.Ipv6:
                _offLinkType.NotSet = true; _offLinkPl.ConstantPart = 0; _offNl = 0; _offNlNoSnap = 0;
                break;
            case Dlt.LinuxSll:
                _offLinkType.ConstantPart = 14; _offLinkPl.ConstantPart = 16; _offNl = 0; _offNlNoSnap = 0;
                break;
            case Dlt.LinuxSll2:
                _offLinkType.ConstantPart = 0; _offLinkPl.ConstantPart = 20; _offNl = 0; _offNlNoSnap = 0;
                break;
            case Dlt.Ieee80211: case Dlt.Ieee80211Radio:
                _offLinkType.ConstantPart = 24; _offLinkPl.ConstantPart = 0; _offLinkPl.IsVariable = true;
                _offNl = 8; _offNlNoSnap = 3;
                if (dlt == Dlt.Ieee80211Radio) { _offLinkHdr.IsVariable = true; _hasRadioHeader = true; }
                break;
            case Dlt.Fddi:
                _offLinkType.ConstantPart = 13; _offLinkPl.ConstantPart = 13; _offNl = 8; _offNlNoSnap = 3;
                break;
            case Dlt.Ieee802:
                _offLinkType.ConstantPart = 14; _offLinkPl.ConstantPart = 14; _offNl = 8; _offNlNoSnap = 3;
                break;
            case Dlt.Slip:
                _offLinkType.NotSet = true; _offLinkPl.ConstantPart = 16; _offNl = 0; _offNlNoSnap = 0;
                break;
            default:
                // Link types libpcap knows without a protocol field we decode: the empty filter and
                // link-independent primitives compile, link-layer type tests are refused.
                if (!Dlt.LibpcapCompilesFor(dlt)) throw new PcapException($"unknown data link type {dlt} (min 104, max 289)");
                _offLinkType.NotSet = true;
                _offLinkPl.NotSet = true;
                break;
        }
        _offOuterLinkHdr = _offLinkHdr;
        _offOuterLinkPl = _offLinkPl;
        _outerLinkType = dlt;
    }

    private bool IsEthernetLike => _linkType is Dlt.En10Mb or Dlt.NetAnalyzer or Dlt.NetAnalyzerTransparent;
    private bool IsWlan => _linkType is Dlt.Ieee80211 or Dlt.Ieee80211Radio;

    private const uint EtherMtu = 1500;
    internal const uint EtherTypeIp = 0x0800, EtherTypeArp = 0x0806, EtherTypeRevArp = 0x8035, EtherTypeIpv6 = 0x86dd,
        EtherTypeAtalk = 0x809b, EtherTypeAarp = 0x80f3, EtherTypeDn = 0x6003, EtherTypeSca = 0x6007, EtherTypeLat = 0x6004,
        EtherTypeMopDl = 0x6001, EtherTypeMopRc = 0x6002, EtherTypeIpx = 0x8137, EtherType8021Q = 0x8100,
        EtherType8021AD = 0x88a8, EtherType8021QinQ = 0x9100, EtherTypeMpls = 0x8847, EtherTypePppoed = 0x8863,
        EtherTypePppoes = 0x8864;
    internal const uint LlcSapIp = 0x06, LlcSapIsoNs = 0xfe, LlcSapNetbeui = 0xf0, LlcSapIpx = 0xe0, LlcSap8021D = 0x42, LlcSapSnap = 0xaa;

    private Block Snap(uint orgCode, uint ptype)
    {
        byte[] snap = [(byte)LlcSapSnap, (byte)LlcSapSnap, 0x03, (byte)(orgCode >> 16), (byte)(orgCode >> 8), (byte)orgCode, (byte)(ptype >> 8), (byte)ptype];
        return Bcmp(OffRel.Llc, 0, 8, snap);
    }

    private Block EtherLinkType(uint proto)
    {
        Block b0, b1;
        switch (proto)
        {
            case LlcSapIsoNs: case LlcSapIp: case LlcSapNetbeui:
                b0 = CmpGt(OffRel.LinkType, 0, Op.H, EtherMtu);
                Not(b0);
                b1 = Cmp(OffRel.Llc, 0, Op.H, proto << 8 | proto);
                And(b0, b1);
                return b1;
            case LlcSapIpx:
                b0 = Cmp(OffRel.Llc, 0, Op.B, LlcSapIpx);
                b1 = Cmp(OffRel.Llc, 0, Op.H, 0xffff);
                Or(b0, b1);
                b0 = Snap(0, EtherTypeIpx);
                Or(b0, b1);
                b0 = CmpGt(OffRel.LinkType, 0, Op.H, EtherMtu);
                Not(b0);
                And(b0, b1);
                b0 = Cmp(OffRel.LinkType, 0, Op.H, EtherTypeIpx);
                Or(b0, b1);
                return b1;
            case EtherTypeAtalk: case EtherTypeAarp:
                b0 = CmpGt(OffRel.LinkType, 0, Op.H, EtherMtu);
                Not(b0);
                return AppleTalk(b0, proto);
            default:
                if (proto <= EtherMtu)
                {
                    b0 = CmpGt(OffRel.LinkType, 0, Op.H, EtherMtu);
                    Not(b0);
                    b1 = Cmp(OffRel.LinkType, 2, Op.B, proto);
                    And(b0, b1);
                    return b1;
                }
                return Cmp(OffRel.LinkType, 0, Op.H, proto);
        }
    }

    /// <summary>AppleTalk or AARP: in SNAP after the frame's 802.2 test, or as the Ethernet type itself.</summary>
    private Block AppleTalk(Block isLlc, uint proto)
    {
        var b1 = proto == EtherTypeAtalk ? Snap(0x080007, EtherTypeAtalk) : Snap(0, EtherTypeAarp);
        And(isLlc, b1);
        var b0 = Cmp(OffRel.LinkType, 0, Op.H, proto);
        Or(b0, b1);
        return b1;
    }

    private const uint SllP8022 = 4, SllP8023 = 1;

    private Block SllLinkType(uint proto)
    {
        Block b0, b1;
        switch (proto)
        {
            case LlcSapIsoNs: case LlcSapIp: case LlcSapNetbeui:
                b0 = Cmp(OffRel.LinkType, 0, Op.H, SllP8022);
                b1 = Cmp(OffRel.Llc, 0, Op.H, proto << 8 | proto);
                And(b0, b1);
                return b1;
            case LlcSapIpx:
                b0 = Cmp(OffRel.Llc, 0, Op.B, LlcSapIpx);
                b1 = Snap(0, EtherTypeIpx);
                Or(b0, b1);
                b0 = Cmp(OffRel.LinkType, 0, Op.H, SllP8022);
                And(b0, b1);
                b0 = Cmp(OffRel.LinkType, 0, Op.H, SllP8023);
                Or(b0, b1);
                b0 = Cmp(OffRel.LinkType, 0, Op.H, EtherTypeIpx);
                Or(b0, b1);
                return b1;
            case EtherTypeAtalk: case EtherTypeAarp:
                return AppleTalk(Cmp(OffRel.LinkType, 0, Op.H, SllP8022), proto);
            default:
                if (proto <= EtherMtu)
                {
                    b0 = Cmp(OffRel.LinkType, 0, Op.H, SllP8022);
                    b1 = Cmp(OffRel.LinkHdr, _offLinkPl.ConstantPart, Op.B, proto);
                    And(b0, b1);
                    return b1;
                }
                return Cmp(OffRel.LinkType, 0, Op.H, proto);
        }
    }

    /// <summary>802.2 LLC type check for link types whose payload is always LLC (802.11, FDDI, token ring).</summary>
    private Block LlcLinkType(uint proto)
    {
        switch (proto)
        {
            case LlcSapIp: case LlcSapIsoNs: case LlcSapNetbeui:
                return Cmp(OffRel.Llc, 0, Op.H, proto << 8 | proto);
            case LlcSapIpx:
                return Cmp(OffRel.Llc, 0, Op.B, LlcSapIpx);
            case EtherTypeAtalk:
                return Snap(0x080007, EtherTypeAtalk);
            default:
                if (proto <= EtherMtu) return Cmp(OffRel.Llc, 0, Op.B, proto);
                return Cmp(OffRel.Llc, 6, Op.H, proto);
        }
    }

    private static uint EtherTypeToPppType(uint proto) => proto switch
    {
        EtherTypeIp => 0x0021, EtherTypeIpv6 => 0x0057, EtherTypeDn => 0x0027, EtherTypeAtalk => 0x0029,
        0x0600 => 0x0025, LlcSapIpx => 0x002b, LlcSap8021D => 0x0031, LlcSapIsoNs => 0x0023,
        _ => proto,
    };

    private Block MplsLinkType(uint proto)
    {
        var b0 = Mcmp(OffRel.PrevMplsHdr, 2, Op.B, 0x01, 0x01);
        var b1 = Mcmp(OffRel.LinkPl, 0, Op.B, proto == EtherTypeIp ? 0x40u : 0x60u, 0xf0);
        And(b0, b1);
        return b1;
    }

    /// <summary>gen_linktype: is the link-layer payload of protocol <paramref name="proto"/> (an Ethernet type or LLC SAP)?</summary>
    private Block LinkType(uint proto)
    {
        if (_labelStackDepth > 0)
        {
            return proto switch
            {
                EtherTypeIp or 0x21 => MplsLinkType(EtherTypeIp),
                EtherTypeIpv6 or 0x57 => MplsLinkType(EtherTypeIpv6),
                _ => throw new PcapException("unsupported protocol over mpls"),
            };
        }
        switch (_linkType)
        {
            case Dlt.En10Mb: case Dlt.NetAnalyzer: case Dlt.NetAnalyzerTransparent:
                return EtherLinkType(proto);
            case Dlt.Ieee80211: case Dlt.Ieee80211Radio:
                {
                    var b0 = CheckWlanDataFrame();
                    var b1 = LlcLinkType(proto);
                    And(b0, b1);
                    return b1;
                }
            case Dlt.Fddi: case Dlt.Ieee802:
                return LlcLinkType(proto);
            case Dlt.LinuxSll:
                return SllLinkType(proto);
            case Dlt.Slip: case Dlt.Raw: case Dlt.Ipv4: case Dlt.Ipv6:
                if (proto == EtherTypeIp) return _linkType == Dlt.Ipv6 ? False() : _linkType == Dlt.Ipv4 ? True() : Mcmp(OffRel.LinkHdr, 0, Op.B, 0x40, 0xf0);
                if (proto == EtherTypeIpv6) return _linkType == Dlt.Ipv4 ? False() : _linkType == Dlt.Ipv6 ? True() : Mcmp(OffRel.LinkHdr, 0, Op.B, 0x60, 0xf0);
                return False();
            case Dlt.Ppp: case Dlt.PppSerial: case Dlt.PppEther:
                return Cmp(OffRel.LinkType, 0, Op.H, EtherTypeToPppType(proto));
            case Dlt.CHdlc:
                return Cmp(OffRel.LinkType, 0, Op.H, proto);
            case Dlt.Null: case Dlt.Loop: case Dlt.Enc:
                {
                    uint af;
                    if (proto == EtherTypeIp) af = 2;
                    else if (proto == EtherTypeIpv6) af = 10;
                    else return False();
                    return LoopbackLinkType(af);
                }
            default:
                if (_offLinkType.NotSet) throw new PcapException($"{Dlt.Description(_linkType)} link-layer type filtering not implemented");
                return Cmp(OffRel.LinkType, 0, Op.H, proto);
        }
    }

    private Block LoopbackLinkType(uint af)
    {
        if (_linkType is Dlt.Null or Dlt.Enc)
            af = (af & 0xff) << 24 | (af & 0xff00) << 8 | (af >> 8) & 0xff00 | af >> 24; // host byte order on a little-endian machine
        return Cmp(OffRel.LinkHdr, 0, Op.W, af);
    }

    
}
