using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

/// <summary>native-build/shim/savefile-buffer.c and pcap-dump.c: the larger buffer of savefiles opened by name.</summary>
internal static partial class Shim
{
    /// <summary>Gives a stream just opened by name, before any I/O, its 64 KiB buffer.</summary>
    [LibraryImport("pcapshim", EntryPoint = "pcap_shim_savefile_buffer")]
    internal static partial void SavefileBuffer(IntPtr stream);

    /// <summary>pcap_dump_close: fclose, then the buffer freed.</summary>
    [LibraryImport("pcapshim", EntryPoint = "pcap_dump_close")]
    internal static partial void DumpClose(IntPtr stream);
}
