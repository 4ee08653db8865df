using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Netdb
{
    [LibraryImport("libc", EntryPoint = "freeaddrinfo")]
    internal static partial void FreeAddrInfo(AddrInfo* res);
}
