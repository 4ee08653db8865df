using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Libc
{
    [LibraryImport("libc", EntryPoint = "socketpair", SetLastError = true)]
    internal static partial int SocketPair(int domain, int type, int protocol, int* fds);
}
