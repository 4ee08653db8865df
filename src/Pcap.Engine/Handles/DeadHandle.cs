namespace Pcap.Engine.Handles;

/// <summary>
/// pcap_open_dead: a handle with a link type, snap length and precision and no packets, for
/// compiling filters and writing savefiles. It refuses every capture operation with libpcap's
/// texts (pcap.c's pcap_*_dead ops).
/// </summary>
public sealed unsafe class DeadHandle : Handle
{
    public DeadHandle(int linkType, int snapLength, TimestampPrecision precision)
    {
        LinkType = linkType;
        Snapshot = snapLength;
        Precision = precision;
        Activated = true;
        Block->StatsSource = StatsSource.Dead;
    }

    protected override int Read(int maxPackets, IPacketSink sink) =>
        Refuse("Packets aren't available from a pcap_open_dead pcap_t");

    protected override int InjectOp(byte* frame, int length) => Refuse("Packets can't be sent on a pcap_open_dead pcap_t");

    protected override int SetFilterOp(Bpf.Instruction* code, uint length) => Refuse("A filter cannot be set on a pcap_open_dead pcap_t");

    protected override int SetDirectionOp(int direction) => Refuse("The packet direction cannot be set on a pcap_open_dead pcap_t");

    protected override int SetNonblockOp(bool nonblock) => Refuse("A pcap_open_dead pcap_t does not have a non-blocking mode setting");

    protected override int GetNonblockOp() => Refuse("A pcap_open_dead pcap_t does not have a non-blocking mode setting");

    public override int CanSetRfmon() => Refuse("Rfmon mode doesn't apply on a pcap_open_dead pcap_t");

    int Refuse(string text)
    {
        Error = text;
        return PcapError.Error;
    }
}
