using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Stdio
{
    /// <summary>fread: reads the header of a file opened for appending.</summary>
    [LibraryImport("libc", EntryPoint = "fread", SetLastError = true)]
    internal static partial nuint Fread(void* data, nuint size, nuint count, IntPtr stream);
}
