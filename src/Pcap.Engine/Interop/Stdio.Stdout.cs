using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Stdio
{
    /// <summary>
    /// The C library's <c>stdout</c> stream: a dumper on "-" must be that very FILE *, so that the
    /// program's own flushes and fclose of stdout reach it. Read from the variable on each use.
    /// </summary>
    internal static IntPtr Stdout => *(IntPtr*)StdoutVariable;

    static readonly IntPtr StdoutVariable = NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "stdout");
}
