using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static partial class Libc
{
    internal const int O_RDONLY = 0, O_RDWR = 2, O_CLOEXEC = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);
}
