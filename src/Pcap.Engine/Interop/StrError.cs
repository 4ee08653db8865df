using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Libc
{
    /// <summary>The C library's text for an errno value, as libpcap's pcap_fmt_errmsg_for_errno prints it.</summary>
    internal static string StrError(int errno)
    {
        byte* buffer = stackalloc byte[256];
        return Marshal.PtrToStringUTF8((nint)Strings.StrerrorR(errno, buffer, 256)) ?? "";
    }

    /// <summary>libpcap's "message: strerror(errno)" form.</summary>
    internal static string ErrnoMessage(string message, int errno) => $"{message}: {StrError(errno)}";
}
