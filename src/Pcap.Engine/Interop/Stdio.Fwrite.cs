using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Stdio
{
    /// <summary>fwrite: writes the savefile header through the FILE *'s buffer, as libpcap does.</summary>
    [LibraryImport("libc", EntryPoint = "fwrite", SetLastError = true)]
    internal static partial nuint Fwrite(void* data, nuint size, nuint count, IntPtr stream);
}
