using Pcap.Engine.Handles;

namespace Pcap.Engine.Compiler;

/// <summary>DLT_ values the compiler knows (pcap/dlt.h, as defined on Linux).</summary>
internal static class Dlt
{
    public const int Null = 0, En10Mb = 1, Ieee802 = 6, Arcnet = 7, Slip = 8, Ppp = 9, Fddi = 10, AtmRfc1483 = 11, Raw = 12,
        SlipBsdos = 15, PppBsdos = 16, AtmClip = 19, PppSerial = 50, PppEther = 51, SymantecFirewall = 99, CHdlc = 104,
        Ieee80211 = 105, Frelay = 107, Loop = 108, Enc = 109, Hdlc = 112, LinuxSll = 113, Ltalk = 114, Pflog = 117,
        PrismHeader = 119, IpOverFc = 122, SunAtm = 123, Ieee80211Radio = 127, ArcnetLinux = 129,
        JuniperMlppp = 130, JuniperMlfr = 131, JuniperEs = 132, JuniperGgsn = 133, JuniperMfr = 134, JuniperAtm2 = 135,
        JuniperServices = 136, JuniperAtm1 = 137, AppleIpOverIeee1394 = 138, Mtp2WithPhdr = 139, Mtp2 = 140,
        Docsis = 143, LinuxIrda = 144, IeeeRadioAvs = 163, JuniperMonitor = 164, BacnetMsTp = 165, PppPppd = 166,
        JuniperPppoe = 167, JuniperPppoeAtm = 168, LinuxLapd = 177, JuniperEther = 178, JuniperPpp = 179, JuniperFrelay = 180,
        JuniperChdlc = 181, Mfr = 182, JuniperVp = 183, UsbFreebsd = 186, BluetoothHciH4 = 187, UsbLinux = 189, Can20B = 190,
        Ieee802154Linux = 191, Ppi = 192, Ieee80216MacCpsRadio = 193, JuniperIsm = 194, Ieee802154 = 195, Sita = 196, Erf = 197,
        Raif1 = 198, IpmbKontron = 199, JuniperSt = 200, BluetoothHciH4WithPhdr = 201, AxKiss = 202, IpmbLinux = 209,
        Ieee802154NonaskPhy = 215, UsbLinuxMmapped = 220, Ipnet = 226, CanSocketcan = 227, Ipv4 = 228, Ipv6 = 229,
        Ieee802154Nofcs = 230, JuniperVs = 232, JuniperSrxE2E = 233, JuniperFibreChannel = 234, JuniperAtmCemic = 238,
        Nflog = 239, NetAnalyzer = 240, NetAnalyzerTransparent = 241, Pfsync = 246, Usbpcap = 249, LinuxSll2 = 276,
        Ieee802154Tap = 283;

    /// <summary>DLT_MATCHING_MIN..MAX: libpcap offers raw link[...] filtering on every value in this range.</summary>
    public const int MatchingMin = 104, MatchingMax = 289;

    /// <summary>The link types libpcap 1.10.3 compiles for at all: those with a layout in init_linktype, and the DLT_MATCHING range.</summary>
    public static bool LibpcapCompilesFor(int dlt) =>
        dlt is Null or En10Mb or Ieee802 or Arcnet or Slip or Ppp or Fddi or AtmRfc1483 or Raw or SlipBsdos or PppBsdos
            or AtmClip or PppSerial or PppEther or SymantecFirewall or (>= MatchingMin and <= MatchingMax);

    /// <summary>pcap_datalink_val_to_description_or_dlt, as error texts name a link type.</summary>
    public static string Description(int dlt) => LinkTypes.LinkTypeTable.Description(dlt) ?? $"DLT {dlt}";

    /// <summary>
    /// Link types whose link-layer type test libpcap's gen_linktype refuses by name, whatever the
    /// layout says (the family name of its message).
    /// </summary>
    public static string? TypeFilteringRefusal(int dlt) => dlt switch
    {
        Mfr => "Multi-link Frame Relay",
        LinuxIrda => "IrDA",
        Docsis => "DOCSIS",
        Mtp2 or Mtp2WithPhdr => "MTP2",
        Erf => "ERF",
        Pfsync => "PFSYNC",
        LinuxLapd => "LAPD",
        UsbFreebsd or UsbLinux or UsbLinuxMmapped or Usbpcap => "USB",
        BluetoothHciH4 or BluetoothHciH4WithPhdr => "Bluetooth",
        Can20B or CanSocketcan => "CAN",
        Ieee802154 or Ieee802154Linux or Ieee802154NonaskPhy or Ieee802154Nofcs or Ieee802154Tap => "IEEE 802.15.4",
        Ieee80216MacCpsRadio => "IEEE 802.16",
        Sita => "SITA",
        Raif1 => "RAIF1",
        IpmbKontron or IpmbLinux => "IPMB",
        AxKiss => "AX.25",
        Nflog => "NFLOG",
        _ => null,
    };
}

internal sealed partial class CodeGenerator
{
    /// <summary>gencode.c's OFFSET_NOT_SET: (u_int)-1, which libpcap still adds into load offsets (they wrap).</summary>
    internal const uint OffsetNotSet = 0xffffffff;

    private int _linkType, _prevLinkType = -1;
    private AbsOffset _offLinkHdr = new(), _offPrevLinkHdr = new(), _offLinkType = new(), _offLinkPl = new(), _offOuterLinkHdr = new(), _offOuterLinkPl = new();
    private uint _offNl, _offNlNoSnap;
    private int _labelStackDepth, _vlanStackDepth;
    private int _outerLinkType = -1;

    /// <summary>init_linktype: where the link-layer type, payload and network layer start for a link type.</summary>
    private void InitLinkType(int dlt)
    {
        _linkType = dlt;
        _prevLinkType = dlt;
        _offLinkHdr = new AbsOffset();
        _offLinkType = new AbsOffset();
        _offLinkPl = new AbsOffset();
        void Set(uint linkType, uint linkPl, uint nl, uint nlNoSnap)
        {
            _offLinkType.ConstantPart = linkType;
            _offLinkPl.ConstantPart = linkPl;
            _offNl = nl;
            _offNlNoSnap = nlNoSnap;
        }
        const uint NotSet = OffsetNotSet;
        switch (dlt)
        {
            case Dlt.Arcnet: Set(2, 6, 0, 0); break;
            case Dlt.ArcnetLinux: Set(4, 8, 0, 0); break;
            case Dlt.En10Mb: Set(12, 14, 0, 3); break;
            case Dlt.Slip: Set(NotSet, 16, 0, 0); break;
            case Dlt.SlipBsdos: Set(NotSet, 24, 0, 0); break;
            case Dlt.Null: case Dlt.Loop: Set(0, 4, 0, 0); break;
            case Dlt.Enc: Set(0, 12, 0, 0); break;
            case Dlt.Ppp: case Dlt.PppPppd: case Dlt.CHdlc: case Dlt.Hdlc: case Dlt.PppSerial: Set(2, 4, 0, 0); break;
            case Dlt.PppEther: Set(6, 8, 0, 0); break;
            case Dlt.PppBsdos: Set(5, 24, 0, 0); break;
            // A savefile's FDDI padding is 0 on Linux.
            case Dlt.Fddi: Set(13, 13, 8, 3); break;
            case Dlt.Ieee802: Set(14, 14, 8, 3); break;
            case Dlt.PrismHeader: case Dlt.IeeeRadioAvs: case Dlt.Ieee80211Radio: case Dlt.Ppi:
                _offLinkHdr.IsVariable = true;
                Set(24, 0, 8, 3);
                _offLinkPl.IsVariable = true;
                break;
            case Dlt.Ieee80211: Set(24, 0, 8, 3); _offLinkPl.IsVariable = true; break;
            case Dlt.AtmRfc1483: case Dlt.AtmClip: Set(0, 0, 8, 3); break;
            case Dlt.SunAtm: InitSunAtm(); Set(SunAtmPayload, SunAtmPayload, 8, 3); break;
            case Dlt.Raw: case Dlt.Ipv4: case Dlt.Ipv6: Set(NotSet, 0, 0, 0); break;
            case Dlt.LinuxSll: Set(14, 16, 0, 0); break;
            case Dlt.LinuxSll2: Set(0, 20, 0, 0); break;
            case Dlt.Ltalk: Set(NotSet, 0, 0, 0); break;
            case Dlt.IpOverFc: Set(16, 16, 8, 3); break;
            case Dlt.Frelay: Set(NotSet, 0, 0, 0); break;
            case Dlt.Mfr: Set(NotSet, 0, 4, 0); break;
            case Dlt.AppleIpOverIeee1394: Set(16, 18, 0, 0); break;
            case Dlt.SymantecFirewall: Set(6, 44, 0, 0); break;
            case Dlt.Pflog: Set(0, 0, 0, 0); _offLinkPl.IsVariable = true; break;
            case Dlt.Mtp2: case Dlt.Mtp2WithPhdr: case Dlt.Erf: InitSs7(dlt); Set(NotSet, NotSet, NotSet, NotSet); break;
            case Dlt.BacnetMsTp: case Dlt.AxKiss: Set(NotSet, NotSet, NotSet, NotSet); break;
            case Dlt.Pfsync: Set(NotSet, 4, 0, 0); break;
            case Dlt.Ipnet: Set(1, 24, 0, NotSet); break;
            case Dlt.NetAnalyzer: _offLinkHdr.ConstantPart = 4; Set(16, 18, 0, 3); break;
            case Dlt.NetAnalyzerTransparent: _offLinkHdr.ConstantPart = 12; Set(24, 26, 0, 3); break;
            default:
                if (JuniperLayout(dlt) is (uint lt, uint pl, uint nl, uint nosnap)) { Set(lt, pl, nl, nosnap); break; }
                // In the DLT_MATCHING range, only raw link[...] filtering.
                if (dlt < Dlt.MatchingMin || dlt > Dlt.MatchingMax)
                    _chunks.Fail($"unknown data link type {dlt} (min {Dlt.MatchingMin}, max {Dlt.MatchingMax})");
                Set(NotSet, NotSet, NotSet, NotSet);
                break;
        }
        _offOuterLinkHdr = _offLinkHdr;
        _offPrevLinkHdr = _offLinkHdr.Copy();
        _offOuterLinkPl = _offLinkPl;
        _outerLinkType = dlt;
    }

    private bool IsEthernetLike => _linkType is Dlt.En10Mb or Dlt.NetAnalyzer or Dlt.NetAnalyzerTransparent;

    /// <summary>802.11 frames, bare or behind a radio header (the DLT_ set gen_wlanhostop serves).</summary>
    private bool IsWlan => _linkType is Dlt.Ieee80211 or Dlt.PrismHeader or Dlt.IeeeRadioAvs or Dlt.Ieee80211Radio or Dlt.Ppi;

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

    private const uint PppIp = 0x0021, PppVjc = 0x002d, PppVjnc = 0x002f, PppMplsUcast = 0x0281;

    private static uint EtherTypeToPppType(uint proto) => proto switch
    {
        EtherTypeIp => PppIp, EtherTypeIpv6 => 0x0057, EtherTypeDn => 0x0027, EtherTypeAtalk => 0x0029,
        0x0600 => 0x0025, LlcSapIpx => 0x002b, LlcSap8021D => 0x0031, LlcSapIsoNs => 0x0023,
        _ => proto,
    };

    private const uint IpnetAfInet = 2, IpnetAfInet6 = 26;

    /// <summary>Frame Relay (RFC 1490): the NLPID after the Q.922 address and the UI control byte.</summary>
    private Block FrelayLinkType(uint proto)
    {
        switch (proto)
        {
            case EtherTypeIp: return Cmp(OffRel.LinkHdr, 2, Op.H, 0x03 << 8 | 0xcc);
            case EtherTypeIpv6: return Cmp(OffRel.LinkHdr, 2, Op.H, 0x03 << 8 | 0x8e);
            case LlcSapIsoNs:
                {
                    var b0 = Cmp(OffRel.LinkHdr, 2, Op.H, 0x03 << 8 | IsoClnp);
                    var b1 = Cmp(OffRel.LinkHdr, 2, Op.H, 0x03 << 8 | IsoEsis);
                    var b2 = Cmp(OffRel.LinkHdr, 2, Op.H, 0x03 << 8 | IsoIsis);
                    Or(b1, b2);
                    Or(b0, b2);
                    return b2;
                }
            default: return False();
        }
    }

    private const uint IsoClnp = 0x81, IsoEsis = 0x82, IsoIsis = 0x83;

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
                _ => Fail("unsupported protocol over mpls"),
            };
        }
        switch (_linkType)
        {
            case Dlt.En10Mb: case Dlt.NetAnalyzer: case Dlt.NetAnalyzerTransparent:
                {
                    var b0 = _isGeneve ? null : PrevLinkHdrCheck();
                    var b1 = EtherLinkType(proto);
                    if (b0 != null) And(b0, b1);
                    return b1;
                }
            case Dlt.CHdlc: case Dlt.Hdlc:
                return Cmp(OffRel.LinkType, 0, Op.H, proto == LlcSapIsoNs ? proto << 8 | LlcSapIsoNs : proto);
            case Dlt.Ieee80211: case Dlt.PrismHeader: case Dlt.IeeeRadioAvs: case Dlt.Ieee80211Radio: case Dlt.Ppi:
                {
                    var b0 = CheckWlanDataFrame();
                    var b1 = LlcLinkType(proto);
                    And(b0, b1);
                    return b1;
                }
            case Dlt.Fddi: case Dlt.Ieee802: case Dlt.AtmRfc1483: case Dlt.AtmClip: case Dlt.IpOverFc:
                return LlcLinkType(proto);
            case Dlt.SunAtm:
                {
                    var b0 = AtmField(AtmFieldKind.ProtoType, PtLlc, Op.JEQ, false);
                    var b1 = LlcLinkType(proto);
                    And(b0, b1);
                    return b1;
                }
            case Dlt.LinuxSll:
                return SllLinkType(proto);
            case Dlt.Slip: case Dlt.SlipBsdos: case Dlt.Raw:
                if (proto == EtherTypeIp) return Mcmp(OffRel.LinkHdr, 0, Op.B, 0x40, 0xf0);
                if (proto == EtherTypeIpv6) return Mcmp(OffRel.LinkHdr, 0, Op.B, 0x60, 0xf0);
                return False();
            case Dlt.Ipv4:
                return proto == EtherTypeIp ? True() : False();
            case Dlt.Ipv6:
                return proto == EtherTypeIpv6 ? True() : False();
            case Dlt.Ppp: case Dlt.PppPppd: case Dlt.PppSerial: case Dlt.PppEther:
                return Cmp(OffRel.LinkType, 0, Op.H, EtherTypeToPppType(proto));
            case Dlt.PppBsdos:
                if (proto == EtherTypeIp)
                {
                    var b0 = Cmp(OffRel.LinkType, 0, Op.H, PppIp);
                    var b1 = Cmp(OffRel.LinkType, 0, Op.H, PppVjc);
                    Or(b0, b1);
                    b0 = Cmp(OffRel.LinkType, 0, Op.H, PppVjnc);
                    Or(b1, b0);
                    return b0;
                }
                return Cmp(OffRel.LinkType, 0, Op.H, EtherTypeToPppType(proto));
            case Dlt.Null: case Dlt.Loop: case Dlt.Enc:
                // A dead handle has no savefile: one address family for IPv6, this host's (Linux: 10).
                if (proto == EtherTypeIp) return LoopbackLinkType(2);
                if (proto == EtherTypeIpv6) return LoopbackLinkType(10);
                return False();
            case Dlt.Pflog:
                return PflogLinkType(proto);
            case Dlt.Arcnet: case Dlt.ArcnetLinux:
                return ArcnetLinkType(proto);
            case Dlt.Ltalk:
                return proto == EtherTypeAtalk ? True() : False();
            case Dlt.Frelay:
                return FrelayLinkType(proto);
            case Dlt.BacnetMsTp:
                return Mcmp(OffRel.LinkHdr, 0, Op.W, 0x55ff0000, 0xffff0000);
            case Dlt.Ipnet:
                if (proto == EtherTypeIp) return Cmp(OffRel.LinkType, 0, Op.B, IpnetAfInet);
                if (proto == EtherTypeIpv6) return Cmp(OffRel.LinkType, 0, Op.B, IpnetAfInet6);
                return False();
        }
        if (IsJuniper(_linkType)) return JuniperMagic();
        if (Dlt.TypeFilteringRefusal(_linkType) is string family)
            return Fail($"{family} link-layer type filtering not implemented");
        if (_offLinkType.ConstantPart == OffsetNotSet)
            return Fail($"{Dlt.Description(_linkType)} link-layer type filtering not implemented");
        return Cmp(OffRel.LinkType, 0, Op.H, proto);
    }

    /// <summary>gen_loopback_linktype: DLT_NULL and DLT_ENC carry the address family in host byte order, DLT_LOOP in network order.</summary>
    private Block LoopbackLinkType(uint af)
    {
        if (_linkType is Dlt.Null or Dlt.Enc)
            af = (af & 0xff) << 24 | (af & 0xff00) << 8 | (af >> 8) & 0xff00 | af >> 24; // host byte order on a little-endian machine
        return Cmp(OffRel.LinkHdr, 0, Op.W, af);
    }
}
