using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

/// <summary>errno texts for the ABI layer, formatted as libpcap's pcap_fmt_errmsg_for_errno does.</summary>
public static class Errno
{
    /// <summary>The calling thread's errno as it is now.</summary>
    public static int Current => Marshal.GetLastSystemError();

    public static string Message(string message, int errno) => Libc.ErrnoMessage(message, errno);
}
