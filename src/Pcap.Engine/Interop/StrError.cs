using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Libc
{
    [LibraryImport(Libraries.Libc, EntryPoint = "strerror_r")]
    private static partial byte* StrErrorR(int errno, byte* buffer, nuint length); // the GNU variant

    /// <summary>The C library's text for an errno value, as libpcap's pcap_fmt_errmsg_for_errno prints it.</summary>
    internal static string StrError(int errno)
    {
        byte* buffer = stackalloc byte[256];
        return Marshal.PtrToStringUTF8((nint)StrErrorR(errno, buffer, 256)) ?? "";
    }

    /// <summary>libpcap's "message: strerror(errno)" form.</summary>
    internal static string ErrnoMessage(string message, int errno) => $"{message}: {StrError(errno)}";
}
