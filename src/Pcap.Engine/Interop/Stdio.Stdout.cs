using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Stdio
{
    static nint stdoutVariable;

    /// <summary>The C library's <c>stdout</c> (a FILE *), read from its data symbol on each use as C code would.</summary>
    internal static nint Stdout
    {
        get
        {
            if (stdoutVariable == 0)
                stdoutVariable = NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "stdout");
            return *(nint*)stdoutVariable;
        }
    }
}
