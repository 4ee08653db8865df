using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

public static unsafe partial class Libc
{
    /// <summary>GNU strerror_r(3) (glibc's plain symbol): returns the text, in <paramref name="buffer"/> or static.</summary>
    [LibraryImport("libc", EntryPoint = "strerror_r")]
    public static partial byte* StrerrorR(int errnum, byte* buffer, nuint length);
}
