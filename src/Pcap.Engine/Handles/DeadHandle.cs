namespace Pcap.Engine.Handles;

/// <summary>
/// pcap_open_dead: a handle with a link type, snap length and precision and no packets, for
/// compiling filters and writing savefiles.
/// </summary>
public sealed class DeadHandle : Handle
{
    public DeadHandle(int linkType, int snapLength, TimestampPrecision precision)
    {
        LinkType = linkType;
        Snapshot = snapLength;
        Precision = precision;
        Activated = true;
        unsafe { Block->StatsSource = StatsSource.Dead; }
    }

    public const string FilterRefused = "A filter cannot be set on a pcap_open_dead pcap_t";

    protected override int Read(int maxPackets, IPacketSink sink)
    {
        Error = "Packets aren't available from a pcap_open_dead pcap_t";
        return PcapError.Error;
    }
}
