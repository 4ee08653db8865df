using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Unistd
{
    /// <summary>lseek: moves a FILE *'s descriptor to the stream's own position before reading through it.</summary>
    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    internal static partial long Lseek(int fd, long offset, int whence);

    internal const int SeekSet = 0;
}
