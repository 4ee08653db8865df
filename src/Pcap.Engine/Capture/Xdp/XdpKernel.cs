using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Xdp;

/// <summary>
/// The bpf(2) calls the module makes, as plain system calls: an XSKMAP, an XDP program, a bpf link that
/// attaches it (released by the kernel when the last fd closes, so a crashed process leaves nothing
/// attached) and the link's atomic program swap, and BPF_PROG_TEST_RUN for the tests. libbpf/libxdp
/// would bring a dlopen'ed dependency for these five calls; they are smaller written out.
/// </summary>
public static unsafe class XdpKernel
{
    const int AttrSize = 128;

    /// <summary>An XSKMAP of <paramref name="entries"/> queues: its fd, or -1 with errno.</summary>
    public static int CreateSocketMap(int entries)
    {
        uint* attr = stackalloc uint[AttrSize / 4];
        new Span<byte>(attr, AttrSize).Clear();
        attr[0] = XdpAbi.BPF_MAP_TYPE_XSKMAP;
        attr[1] = 4; // key: the queue index
        attr[2] = 4; // value: the socket's fd
        attr[3] = (uint)entries;
        return Libc.Bpf(Libc.BPF_MAP_CREATE, attr, AttrSize);
    }

    /// <summary>map[key] = value: 0, or -1 with errno.</summary>
    public static int UpdateMap(int mapFd, int key, int value)
    {
        ulong* attr = stackalloc ulong[AttrSize / 8];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)attr = (uint)mapFd;
        attr[1] = (ulong)&key;
        attr[2] = (ulong)&value;
        return Libc.Bpf(Libc.BPF_MAP_UPDATE_ELEM, attr, AttrSize);
    }

    /// <summary>Loads an XDP program: its fd, or -1 with the verifier's last line in <paramref name="log"/>.</summary>
    public static int LoadProgram(ReadOnlySpan<EbpfInstruction> code, out string log)
    {
        const int LogSize = 64 * 1024;
        byte* license = stackalloc byte[] { (byte)'G', (byte)'P', (byte)'L', 0 }; // the helpers need a GPL-compatible licence
        byte* logBuffer = (byte*)NativeMemory.AllocZeroed(LogSize);
        try
        {
            fixed (EbpfInstruction* insns = code)
            {
                int fd = Load(insns, code.Length, license, null, 0);
                if (fd >= 0)
                {
                    log = "";
                    return fd;
                }
                int errno = Marshal.GetLastPInvokeError();
                Load(insns, code.Length, license, logBuffer, LogSize); // again, with the verifier's log
                log = LastLine(Marshal.PtrToStringUTF8((IntPtr)logBuffer) ?? "");
                if (log.Length == 0) log = Libc.StrError(errno);
                Marshal.SetLastPInvokeError(errno);
                return -1;
            }
        }
        finally
        {
            NativeMemory.Free(logBuffer);
        }
    }

    static int Load(EbpfInstruction* insns, int count, byte* license, byte* log, int logSize)
    {
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)attr = XdpAbi.BPF_PROG_TYPE_XDP;
        *(uint*)(attr + 4) = (uint)count;
        *(ulong*)(attr + 8) = (ulong)insns;
        *(ulong*)(attr + 16) = (ulong)license;
        *(uint*)(attr + 24) = log == null ? 0u : 1u; // log_level
        *(uint*)(attr + 28) = (uint)logSize;
        *(ulong*)(attr + 32) = (ulong)log;
        "pcap_filter"u8.CopyTo(new Span<byte>(attr + 48, 15)); // prog_name
        *(uint*)(attr + 68) = XdpAbi.BPF_XDP; // expected_attach_type
        return Libc.Bpf(Libc.BPF_PROG_LOAD, attr, AttrSize);
    }

    static string LastLine(string log)
    {
        var lines = log.TrimEnd().Split('\n');
        // The verifier ends with "processed N insns ..." after the line that says why it refused.
        for (int i = lines.Length - 1; i >= 0; i--)
            if (lines[i].Length > 0 && !lines[i].StartsWith("processed ", StringComparison.Ordinal)) return lines[i];
        return "";
    }

    /// <summary>Attaches the program to the interface through a bpf link: the link's fd, or -1 with errno.</summary>
    public static int Attach(int programFd, uint ifindex, int xdpFlags)
    {
        uint* attr = stackalloc uint[AttrSize / 4];
        new Span<byte>(attr, AttrSize).Clear();
        attr[0] = (uint)programFd;
        attr[1] = ifindex;
        attr[2] = XdpAbi.BPF_XDP;
        attr[3] = (uint)xdpFlags;
        return Libc.Bpf(Libc.BPF_LINK_CREATE, attr, AttrSize);
    }

    /// <summary>Swaps the link's program atomically: 0, or -1 with errno.</summary>
    public static int Replace(int linkFd, int programFd)
    {
        uint* attr = stackalloc uint[AttrSize / 4];
        new Span<byte>(attr, AttrSize).Clear();
        attr[0] = (uint)linkFd;
        attr[1] = (uint)programFd;
        return Libc.Bpf(Libc.BPF_LINK_UPDATE, attr, AttrSize);
    }

    /// <summary>BPF_PROG_TEST_RUN on one packet: the program's return value, or -1 with errno.</summary>
    public static long TestRun(int programFd, ReadOnlySpan<byte> packet)
    {
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        fixed (byte* data = packet)
        {
            *(uint*)attr = (uint)programFd;
            *(uint*)(attr + 8) = (uint)packet.Length;
            *(ulong*)(attr + 16) = (ulong)data;
            *(uint*)(attr + 32) = 1; // repeat
            if (Libc.Bpf(Libc.BPF_PROG_TEST_RUN, attr, AttrSize) < 0) return -1;
            return *(uint*)(attr + 4);
        }
    }
}
