using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Stdio
{
    /// <summary>fseek: positions a file opened for appending.</summary>
    [LibraryImport("libc", EntryPoint = "fseek", SetLastError = true)]
    internal static partial int Fseek(IntPtr stream, nint offset, int whence);

    internal const int SeekSet = 0;
    internal const int SeekEnd = 2;
}
