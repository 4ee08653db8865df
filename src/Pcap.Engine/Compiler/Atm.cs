using Pcap.Engine.Handles;

namespace Pcap.Engine.Compiler;

/// <summary>ATM field kinds of gencode.h (A_VPI, A_VCI, A_PROTOTYPE, A_MSGTYPE).</summary>
internal enum AtmFieldKind { Vpi, Vci, ProtoType, MsgType }

/// <summary>The ATM keywords of the grammar (atmtype and atmmultitype).</summary>
internal enum AtmType { Lane, Metac, Bcc, Oamf4ec, Oamf4sc, Sc, Ilmic, Oam, Oamf4, Connectmsg, Metaconnect }

/// <summary>
/// Raw ATM with SunATM's pseudo-header (DLT_SUNATM: direction, VPI, VCI, then the AAL5 PDU), the
/// only link type with ATM fields: gen_atmfield_code, gen_atmtype_abbrev and gen_atmmulti_abbrev.
/// LANE frames carry an Ethernet header after a 2-byte LE header; "lane" makes later primitives
/// look at that header.
/// </summary>
internal sealed partial class CodeGenerator
{
    private const uint SunAtmVpiPos = 1, SunAtmVciPos = 2, SunAtmProtoPos = 0, SunAtmPayload = 4, AtmMsgTypePos = 5;
    private const uint PtLane = 0x01, PtLlc = 0x02;
    private const uint AtmSetup = 0x05, AtmCallProceed = 0x02, AtmConnect = 0x07, AtmConnectAck = 0x0f, AtmRelease = 0x4d, AtmReleaseDone = 0x5a;

    private bool _isAtm;

    private void InitSunAtm() => _isAtm = true;

    private Block AtmField(AtmFieldKind field, uint value, int jtype, bool reverse)
    {
        switch (field)
        {
            case AtmFieldKind.Vpi:
                if (!_isAtm) return Fail("'vpi' supported only on raw ATM");
                return Ncmp(OffRel.LinkHdr, SunAtmVpiPos, Op.B, 0xffffffff, jtype, reverse, value);
            case AtmFieldKind.Vci:
                if (!_isAtm) return Fail("'vci' supported only on raw ATM");
                return Ncmp(OffRel.LinkHdr, SunAtmVciPos, Op.H, 0xffffffff, jtype, reverse, value);
            case AtmFieldKind.ProtoType:
                return Ncmp(OffRel.LinkHdr, SunAtmProtoPos, Op.B, 0x0f, jtype, reverse, value);
            default:
                return Ncmp(OffRel.LinkHdr, SunAtmPayload + AtmMsgTypePos, Op.B, 0xffffffff, jtype, reverse, value);
        }
    }

    /// <summary>gen_atmfield_code for "vpi"/"vci" with a relation (jtype as gen_ncmp takes it).</summary>
    public Block AtmFieldCode(bool vci, uint value, int jtype, bool reverse) =>
        AtmField(vci ? AtmFieldKind.Vci : AtmFieldKind.Vpi, value, jtype, reverse);

    private Block AtmVpiVci(uint vpi, uint vci)
    {
        var b0 = AtmField(AtmFieldKind.Vpi, vpi, Op.JEQ, false);
        var b1 = AtmField(AtmFieldKind.Vci, vci, Op.JEQ, false);
        And(b0, b1);
        return b1;
    }

    private Block AtmMessages(params uint[] types)
    {
        var b1 = AtmField(AtmFieldKind.MsgType, types[0], Op.JEQ, false);
        for (int i = 1; i < types.Length; i++)
        {
            var b0 = AtmField(AtmFieldKind.MsgType, types[i], Op.JEQ, false);
            Or(b0, b1);
        }
        return b1;
    }

    /// <summary>gen_atmtype_abbrev and gen_atmmulti_abbrev.</summary>
    public Block AtmTypeAbbrev(AtmType type)
    {
        string name = type switch
        {
            AtmType.Lane => "lane", AtmType.Metac => "metac", AtmType.Bcc => "bcc", AtmType.Oamf4ec => "oam4ec",
            AtmType.Oamf4sc => "oam4sc", AtmType.Sc => "sc", AtmType.Ilmic => "ilmic", AtmType.Oam => "oam",
            AtmType.Oamf4 => "oamf4", AtmType.Connectmsg => "connectmsg", _ => "metaconnect",
        };
        if (!_isAtm) return Fail($"'{name}' supported only on raw ATM");
        switch (type)
        {
            case AtmType.Metac: return AtmVpiVci(0, 1);
            case AtmType.Bcc: return AtmVpiVci(0, 2);
            case AtmType.Oamf4sc: return AtmVpiVci(0, 3);
            case AtmType.Oamf4ec: return AtmVpiVci(0, 4);
            case AtmType.Sc: return AtmVpiVci(0, 5);
            case AtmType.Ilmic: return AtmVpiVci(0, 16);
            case AtmType.Lane:
                {
                    var b1 = AtmField(AtmFieldKind.ProtoType, PtLane, Op.JEQ, false);
                    // From here on the link layer is the LANE frame's Ethernet header.
                    _prevLinkType = _linkType;
                    _offPrevLinkHdr = _offLinkHdr.Copy();
                    _linkType = Dlt.En10Mb;
                    _offLinkHdr = new AbsOffset { ConstantPart = SunAtmPayload + 2 };
                    _offLinkType = new AbsOffset { ConstantPart = _offLinkHdr.ConstantPart + 12 };
                    _offLinkPl = new AbsOffset { ConstantPart = _offLinkHdr.ConstantPart + 14 };
                    _offNl = 0;
                    _offNlNoSnap = 3;
                    return b1;
                }
            case AtmType.Oam: case AtmType.Oamf4:
                {
                    var b0 = AtmField(AtmFieldKind.Vci, 3, Op.JEQ, false);
                    var b1 = AtmField(AtmFieldKind.Vci, 4, Op.JEQ, false);
                    Or(b0, b1);
                    b0 = AtmField(AtmFieldKind.Vpi, 0, Op.JEQ, false);
                    And(b0, b1);
                    return b1;
                }
            case AtmType.Connectmsg:
                {
                    var b1 = AtmMessages(AtmSetup, AtmCallProceed, AtmConnect, AtmConnectAck, AtmRelease, AtmReleaseDone);
                    var b0 = AtmVpiVci(0, 5);
                    And(b0, b1);
                    return b1;
                }
            default:
                {
                    var b1 = AtmMessages(AtmSetup, AtmCallProceed, AtmConnect, AtmRelease, AtmReleaseDone);
                    var b0 = AtmVpiVci(0, 1);
                    And(b0, b1);
                    return b1;
                }
        }
    }

    /// <summary>gen_atmtype_llc: "llc" on raw ATM; later primitives see the link type as before any "lane".</summary>
    private Block AtmLlc()
    {
        var b0 = AtmField(AtmFieldKind.ProtoType, PtLlc, Op.JEQ, false);
        _linkType = _prevLinkType;
        return b0;
    }
}
