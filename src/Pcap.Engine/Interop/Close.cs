using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static partial class Libc
{
    [LibraryImport(Libraries.Libc, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);
}
