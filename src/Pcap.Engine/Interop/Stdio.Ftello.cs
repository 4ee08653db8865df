using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Stdio
{
    /// <summary>ftello: where the caller's stdio position of a FILE * handed to pcap_fopen_offline is.</summary>
    [LibraryImport("libc", EntryPoint = "ftello")]
    internal static partial long Ftello(IntPtr stream);
}
