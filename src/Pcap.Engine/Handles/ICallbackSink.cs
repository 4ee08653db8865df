namespace Pcap.Engine.Handles;

/// <summary>
/// A sink that is the program's C pcap_handler (pcap_loop, pcap_dispatch): a capture module may
/// hand it a whole batch of packets through the C shim, one transition out of managed code per batch.
/// </summary>
public unsafe interface ICallbackSink : IPacketSink
{
    delegate* unmanaged<byte*, PacketHeader*, byte*, void> Callback { get; }
    byte* User { get; }
}
