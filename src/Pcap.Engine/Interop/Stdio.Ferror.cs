using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Stdio
{
    /// <summary>ferror: tells a read error from end of file after a short fread.</summary>
    [LibraryImport("libc", EntryPoint = "ferror")]
    internal static partial int Ferror(IntPtr stream);
}
