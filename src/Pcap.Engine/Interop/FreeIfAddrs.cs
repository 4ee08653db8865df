using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Libc
{
    [LibraryImport("libc", EntryPoint = "freeifaddrs")]
    internal static partial void FreeIfAddrs(IfAddrs* list);
}
