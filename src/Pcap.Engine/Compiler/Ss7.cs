using Pcap.Engine.Handles;

namespace Pcap.Engine.Compiler;

/// <summary>MTP2 signal unit types of the grammar (mtp2type), plain and high-speed-link (H) forms.</summary>
internal enum Mtp2Type { Fisu, Lssu, Msu, HFisu, HLssu, HMsu }

/// <summary>MTP3 fields of the grammar (mtp3field), plain and high-speed-link (H) forms.</summary>
internal enum Mtp3Field { Sio, Opc, Dpc, Sls, HSio, HOpc, HDpc, HSls }

/// <summary>
/// SS7 (DLT_MTP2, DLT_MTP2_WITH_PHDR, DLT_ERF): gen_mtp2type_abbrev and gen_mtp3field_code, which
/// test the length indicator and the MTP3 routing label at fixed offsets per link type.
/// </summary>
internal sealed partial class CodeGenerator
{
    private uint _offLi = OffsetNotSet, _offLiHsl = OffsetNotSet, _offSio = OffsetNotSet, _offOpc = OffsetNotSet,
        _offDpc = OffsetNotSet, _offSls = OffsetNotSet;

    private void InitSs7(int dlt)
    {
        uint pseudo = dlt switch { Dlt.Mtp2 => 0, Dlt.Mtp2WithPhdr => 4, _ => 20 };
        _offLi = pseudo + 2;
        _offLiHsl = pseudo + 4;
        _offSio = pseudo + 3;
        _offOpc = pseudo + 4;
        _offDpc = pseudo + 4;
        _offSls = pseudo + 7;
    }

    public Block Mtp2TypeAbbrev(Mtp2Type type)
    {
        if (_linkType is not (Dlt.Mtp2 or Dlt.Erf or Dlt.Mtp2WithPhdr))
        {
            string name = type switch
            {
                Mtp2Type.Fisu => "'fisu' supported only on MTP2", Mtp2Type.Lssu => "'lssu' supported only on MTP2",
                Mtp2Type.Msu => "'msu' supported only on MTP2", Mtp2Type.HFisu => "'hfisu' supported only on MTP2_HSL",
                Mtp2Type.HLssu => "'hlssu' supported only on MTP2_HSL", _ => "'hmsu' supported only on MTP2_HSL",
            };
            return Fail(name);
        }
        switch (type)
        {
            case Mtp2Type.Fisu: return Ncmp(OffRel.Packet, _offLi, Op.B, 0x3f, Op.JEQ, false, 0);
            case Mtp2Type.Lssu:
                {
                    var b0 = Ncmp(OffRel.Packet, _offLi, Op.B, 0x3f, Op.JGT, true, 2);
                    var b1 = Ncmp(OffRel.Packet, _offLi, Op.B, 0x3f, Op.JGT, false, 0);
                    And(b1, b0);
                    return b0;
                }
            case Mtp2Type.Msu: return Ncmp(OffRel.Packet, _offLi, Op.B, 0x3f, Op.JGT, false, 2);
            case Mtp2Type.HFisu: return Ncmp(OffRel.Packet, _offLiHsl, Op.H, 0xff80, Op.JEQ, false, 0);
            case Mtp2Type.HLssu:
                {
                    var b0 = Ncmp(OffRel.Packet, _offLiHsl, Op.H, 0xff80, Op.JGT, true, 0x0100);
                    var b1 = Ncmp(OffRel.Packet, _offLiHsl, Op.H, 0xff80, Op.JGT, false, 0);
                    And(b1, b0);
                    return b0;
                }
            default: return Ncmp(OffRel.Packet, _offLiHsl, Op.H, 0xff80, Op.JGT, false, 0x0100);
        }
    }

    /// <summary>gen_mtp3field_code: an MTP3 field compared with a relation (jtype as gen_ncmp takes it).</summary>
    public Block Mtp3FieldCode(Mtp3Field field, uint value, int jtype, bool reverse)
    {
        bool hsl = field >= Mtp3Field.HSio;
        uint extra = hsl ? 3u : 0u;
        switch (hsl ? (Mtp3Field)(field - Mtp3Field.HSio) : field)
        {
            case Mtp3Field.Sio:
                if (_offSio == OffsetNotSet) return Fail("'sio' supported only on SS7");
                if (value > 255) return Fail($"sio value {value} too big; max value = 255");
                return Ncmp(OffRel.Packet, _offSio + extra, Op.B, 0xffffffff, jtype, reverse, value);
            case Mtp3Field.Opc:
                if (_offOpc == OffsetNotSet) return Fail("'opc' supported only on SS7");
                if (value > 16383) return Fail($"opc value {value} too big; max value = 16383");
                value = ((value & 0x3c00) >> 10) + ((value & 0x3fc) << 6) + ((value & 0x3) << 22);
                return Ncmp(OffRel.Packet, _offOpc + extra, Op.W, 0x00c0ff0f, jtype, reverse, value);
            case Mtp3Field.Dpc:
                if (_offDpc == OffsetNotSet) return Fail("'dpc' supported only on SS7");
                if (value > 16383) return Fail($"dpc value {value} too big; max value = 16383");
                value = ((value & 0xff) << 24) + ((value & 0x3f00) << 8);
                return Ncmp(OffRel.Packet, _offDpc + extra, Op.W, 0xff3f0000, jtype, reverse, value);
            default:
                if (_offSls == OffsetNotSet) return Fail("'sls' supported only on SS7");
                if (value > 15) return Fail($"sls value {value} too big; max value = 15");
                return Ncmp(OffRel.Packet, _offSls + extra, Op.B, 0xf0, jtype, reverse, value << 4);
        }
    }
}
