using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

public static unsafe partial class Libc
{
    /// <summary>fputs(3): writes through the C library's buffer, so our text and the caller's printf stay in order.</summary>
    [LibraryImport("libc", EntryPoint = "fputs")]
    public static partial int Fputs(byte* text, nint stream);
}
