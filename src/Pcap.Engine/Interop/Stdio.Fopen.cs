using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Stdio
{
    /// <summary>fopen: opens a savefile for writing or appending (the dumper is the FILE * itself).</summary>
    [LibraryImport("libc", EntryPoint = "fopen", SetLastError = true)]
    internal static partial IntPtr Fopen(byte* path, byte* mode);
}
