using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Stdio
{
    /// <summary>
    /// fread_unlocked: a savefile's records read through the program's FILE * (glibc and musl have it). The
    /// handle is used by one thread at a time, as libpcap requires, so the stream lock would only cost time.
    /// errno is read only after ferror says there was an error.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "fread_unlocked")]
    internal static partial nuint FreadUnlocked(void* data, nuint size, nuint count, IntPtr stream);
}
