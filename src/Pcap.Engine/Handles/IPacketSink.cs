namespace Pcap.Engine.Handles;

/// <summary>Where a capture module delivers each packet that passed the filter (libpcap's callback).</summary>
public unsafe interface IPacketSink
{
    void Packet(PacketHeader* header, byte* data);
}
