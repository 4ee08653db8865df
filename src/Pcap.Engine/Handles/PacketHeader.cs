using System.Runtime.InteropServices;

namespace Pcap.Engine.Handles;

/// <summary><c>struct pcap_pkthdr</c> on LP64: a struct timeval, caplen, len.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct PacketHeader
{
    public long TvSec;
    public long TvUsec; // microseconds, or nanoseconds on a nanosecond-precision handle
    public uint CapLen;
    public uint Len;
}
