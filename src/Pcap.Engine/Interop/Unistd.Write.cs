using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Unistd
{
    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, void* buffer, nuint count);
}
