using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Libc
{
    internal const uint SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914, SIOCGIFADDR = 0x8915, SIOCGIFNETMASK = 0x891b, SIOCGIFHWADDR = 0x8927,
        SIOCGIFINDEX = 0x8933, SIOCETHTOOL = 0x8946;
    internal const int IFNAMSIZ = 16, IfReqSize = 40;

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(int fd, nuint request, void* argument);
}
