using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Interop;

/// <summary>native-build/shim/pcap-deliver.c, linked into the same library (DirectPInvoke "pcapshim").</summary>
internal static unsafe partial class Shim
{
    [LibraryImport("pcapshim", EntryPoint = "pcap_shim_deliver")]
    internal static partial int Deliver(delegate* unmanaged<byte*, PacketHeader*, byte*, void> callback, byte* user,
        PacketHeader* headers, byte** data, int count, HandleBlock* handle);
}
