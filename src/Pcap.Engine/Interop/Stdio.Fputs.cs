using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Stdio
{
    /// <summary>fputs: bpf_dump writes through the C library's stdout buffer, in order with the caller's printf.</summary>
    [LibraryImport("libc", EntryPoint = "fputs")]
    internal static partial int Fputs(byte* text, IntPtr stream);
}
