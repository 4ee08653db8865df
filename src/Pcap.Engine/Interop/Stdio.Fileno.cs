using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Stdio
{
    /// <summary>fileno: the descriptor a savefile's FILE * reads from (-1 for streams without one, e.g. fmemopen).</summary>
    [LibraryImport("libc", EntryPoint = "fileno")]
    internal static partial int Fileno(IntPtr stream);
}
