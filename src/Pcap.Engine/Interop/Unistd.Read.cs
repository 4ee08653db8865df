using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Unistd
{
    /// <summary>read: savefiles are read in large chunks straight into the buffer packets are handed out from.</summary>
    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, void* buffer, nuint count);
}
