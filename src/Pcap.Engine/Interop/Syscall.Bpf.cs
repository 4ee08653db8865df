using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Libc
{
    // bpf(2) has no glibc wrapper: syscall(SYS_bpf, cmd, attr, size).
    internal const long SYS_bpf = 321;
    internal const int BPF_MAP_CREATE = 0, BPF_MAP_UPDATE_ELEM = 2, BPF_PROG_LOAD = 5, BPF_PROG_TEST_RUN = 10,
        BPF_LINK_CREATE = 28, BPF_LINK_UPDATE = 29;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    internal static partial long Syscall(long number, long cmd, void* attr, long size);

    /// <summary>bpf(cmd, attr, size): the result, or -1 with errno set.</summary>
    internal static int Bpf(int cmd, void* attr, int size) => (int)Syscall(SYS_bpf, cmd, attr, size);
}
