using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Stdio
{
    /// <summary>getc: the next character of a FILE *, or EOF (-1).</summary>
    [LibraryImport("libc", EntryPoint = "getc")]
    internal static partial int Getc(IntPtr file);
}
