namespace Pcap.Engine.Compiler;

/// <summary>
/// Juniper's link types (DLT_JUNIPER_*): a header that begins with the "MGC" magic number and a flags
/// byte, then the captured frame. libpcap's gen_linktype tests only the magic number, whatever
/// protocol is asked for, and reads the network layer at a fixed offset per type (where it has one;
/// elsewhere the unset offset, which wraps around as libpcap's does).
/// </summary>
internal sealed partial class CodeGenerator
{
    /// <summary>init_linktype's offsets of a Juniper type: link-layer type, payload, network layer, network layer without SNAP.</summary>
    private static (uint LinkType, uint LinkPl, uint Nl, uint NlNoSnap)? JuniperLayout(int dlt) => dlt switch
    {
        Dlt.JuniperMfr or Dlt.JuniperMlfr or Dlt.JuniperMlppp or Dlt.JuniperPpp or Dlt.JuniperChdlc or Dlt.JuniperFrelay => (4, 4, 0, OffsetNotSet),
        Dlt.JuniperAtm1 => (4, 4, 0, 10),
        Dlt.JuniperAtm2 => (8, 8, 0, 10),
        Dlt.JuniperPppoe or Dlt.JuniperEther => (16, 14, 18, 21),
        Dlt.JuniperPppoeAtm => (4, 6, 0, OffsetNotSet),
        Dlt.JuniperGgsn => (6, 12, 0, OffsetNotSet),
        Dlt.JuniperEs => (6, OffsetNotSet, OffsetNotSet, OffsetNotSet),
        Dlt.JuniperMonitor => (12, 12, 0, OffsetNotSet),
        Dlt.JuniperServices => (12, OffsetNotSet, OffsetNotSet, OffsetNotSet),
        Dlt.JuniperVp or Dlt.JuniperSt => (18, OffsetNotSet, OffsetNotSet, OffsetNotSet),
        Dlt.JuniperIsm or Dlt.JuniperVs or Dlt.JuniperSrxE2E or Dlt.JuniperFibreChannel or Dlt.JuniperAtmCemic => (8, OffsetNotSet, OffsetNotSet, OffsetNotSet),
        _ => null,
    };

    private static bool IsJuniper(int dlt) => JuniperLayout(dlt) != null;

    /// <summary>The "MGC" magic number in the first three bytes.</summary>
    private Block JuniperMagic() => Mcmp(OffRel.LinkHdr, 0, Op.W, 0x4d474300, 0xffffff00);

    /// <summary>Direction: bit 0 of the flags byte is set on packets received.</summary>
    private Block JuniperDirection(bool outbound) => Mcmp(OffRel.LinkHdr, 3, Op.B, outbound ? 0u : 1u, 0x01);
}
