using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Strings
{
    /// <summary>GNU strerror_r (glibc's plain symbol): returns the text, in the buffer or a static string.</summary>
    [LibraryImport("libc", EntryPoint = "strerror_r")]
    internal static partial byte* StrerrorR(int errnum, byte* buffer, nuint length);
}
