using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Stdio
{
    /// <summary>fclose: closes a FILE * the dumper opens refused.</summary>
    [LibraryImport("libc", EntryPoint = "fclose")]
    internal static partial int Fclose(IntPtr stream);
}
