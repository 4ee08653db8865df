using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Stdio
{
    /// <summary>
    /// The C library's <c>stdin</c> stream: a savefile opened as "-" reads it, and pcap_file returns
    /// that very FILE *. Read from the variable on each use.
    /// </summary>
    internal static IntPtr Stdin => *(IntPtr*)StdinVariable;

    static readonly IntPtr StdinVariable = NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "stdin");
}
