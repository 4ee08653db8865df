using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static partial class Libc
{
    internal const int F_GETFL = 3, F_SETFL = 4, O_NONBLOCK = 0x800;

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command, int argument);
}
