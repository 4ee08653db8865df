using System.Runtime.InteropServices;

namespace Pcap.Engine.Capture.Xdp;

/// <summary>AF_XDP's socket ABI (linux/if_xdp.h) and the bpf(2) attributes the module passes (linux/bpf.h).</summary>
public static class XdpAbi
{
    public const int AF_XDP = 44, SOL_XDP = 283;
    public const int XDP_MMAP_OFFSETS = 1, XDP_RX_RING = 2, XDP_TX_RING = 3, XDP_UMEM_REG = 4,
        XDP_UMEM_FILL_RING = 5, XDP_UMEM_COMPLETION_RING = 6;
    public const ushort XDP_COPY = 1 << 1, XDP_ZEROCOPY = 1 << 2;
    public const long XDP_PGOFF_RX_RING = 0, XDP_PGOFF_TX_RING = 0x80000000,
        XDP_UMEM_PGOFF_FILL_RING = 0x100000000, XDP_UMEM_PGOFF_COMPLETION_RING = 0x180000000;

    public const int BPF_MAP_TYPE_XSKMAP = 17, BPF_PROG_TYPE_XDP = 6, BPF_XDP = 37;
    public const int XDP_FLAGS_SKB_MODE = 1 << 1, XDP_FLAGS_DRV_MODE = 1 << 2;

    /// <summary>struct xdp_umem_reg as kernels since 4.18 take it (the first version: no flags).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct UmemReg
    {
        public ulong Address;
        public ulong Length;
        public uint ChunkSize;
        public uint Headroom;
    }

    /// <summary>struct xdp_ring_offset.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct RingOffset
    {
        public ulong Producer;
        public ulong Consumer;
        public ulong Desc;
        public ulong Flags;
    }

    /// <summary>struct xdp_mmap_offsets: RX, TX, fill, completion.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MmapOffsets
    {
        public RingOffset Rx;
        public RingOffset Tx;
        public RingOffset Fill;
        public RingOffset Completion;
    }

    /// <summary>struct xdp_desc.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Desc
    {
        public ulong Address;
        public uint Length;
        public uint Options;
    }

    /// <summary>struct sockaddr_xdp.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SockaddrXdp
    {
        public ushort Family;
        public ushort Flags;
        public uint IfIndex;
        public uint QueueId;
        public uint SharedUmemFd;
    }
}
