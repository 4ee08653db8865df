using System.Runtime.InteropServices;

namespace Pcap.Engine.Handles;

/// <summary>
/// Packets a module prepared for pcap_next_ex to hand out in C, one a call, without entering the engine
/// (C twin: struct pcap_ready in native-build/shim/pcap-handle.h). Lives in malloc'd memory.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public unsafe struct ReadyPackets
{
    [FieldOffset(0)] public PacketHeader* Headers;
    [FieldOffset(8)] public byte** Data;
    /// <summary>The next packet C hands out; the ones before it are delivered.</summary>
    [FieldOffset(16)] public int Next;
    [FieldOffset(20)] public int Count;
}
