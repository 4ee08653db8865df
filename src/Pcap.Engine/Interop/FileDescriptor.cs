using System;

namespace Pcap.Engine.Interop;

/// <summary>The descriptor behind a C library stream, for pcap_get_selectable_fd on savefiles.</summary>
public static class FileDescriptor
{
    public static int Of(IntPtr stream) => Stdio.Fileno(stream);
}
