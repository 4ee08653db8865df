using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Libc
{
    internal const int SOL_SOCKET = 1, SOL_PACKET = 263;
    internal const int SO_ERROR = 4, SO_ATTACH_FILTER = 26, SO_DETACH_FILTER = 27, SO_TIMESTAMPNS = 35, SO_BPF_EXTENSIONS = 48;
    internal const int PACKET_ADD_MEMBERSHIP = 1, PACKET_RX_RING = 5, PACKET_STATISTICS = 6, PACKET_AUXDATA = 8,
        PACKET_VERSION = 10, PACKET_HDRLEN = 11, PACKET_RESERVE = 12, PACKET_TIMESTAMP = 17, PACKET_FANOUT = 18;

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    internal static partial int SetSockOpt(int fd, int level, int name, void* value, uint length);
}
