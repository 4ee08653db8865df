using System.Runtime.InteropServices;

namespace Pcap.Engine.Capture.Netmap;

/// <summary>
/// netmap's user ABI, API 14, Linux x86-64 (netmap.h; values and offsets from
/// shared/docs/netmap-and-linux-facts.md section 1, pinned by NetmapAbiTests).
/// </summary>
public static class NetmapAbi
{
    public const ushort Api = 14;

    // _IOWR('i', 151, struct nmreq_header) and _IO('i', 148/149).
    public const uint NIOCCTRL = 0xC0586997;
    public const uint NIOCTXSYNC = 0x00006994;
    public const uint NIOCRXSYNC = 0x00006995;

    public const ushort ReqRegister = 1;
    public const ushort ReqPortInfoGet = 2;

    // nr_mode (NR_REG_*).
    public const uint RegAllNic = 1, RegSw = 2, RegNicSw = 3, RegOneNic = 4, RegNull = 7, RegOneSw = 8;

    // nr_flags.
    public const ulong MonitorTx = 0x100, MonitorRx = 0x200, ZcopyMon = 0x400, Exclusive = 0x800,
        RxRingsOnly = 0x2000, TxRingsOnly = 0x4000, NoTxPoll = 0x20000;

    // netmap_ring.flags.
    public const uint RingTimestamp = 0x2, RingForward = 0x4;

    // netmap_slot.flags.
    public const ushort SlotBufChanged = 0x1, SlotForward = 0x4, SlotMoreFrag = 0x20;

    public const int NameSize = 64; // NETMAP_REQ_IFNAMSIZ
    public const int MaxFragments = 64; // NETMAP_MAX_FRAGS
}

/// <summary>struct nmreq_header (88 bytes): every NIOCCTRL request.</summary>
[StructLayout(LayoutKind.Explicit, Size = 88)]
public unsafe struct NmreqHeader
{
    [FieldOffset(0)] public ushort Version;
    [FieldOffset(2)] public ushort ReqType;
    [FieldOffset(4)] public uint Reserved;
    [FieldOffset(8)] public fixed byte Name[NetmapAbi.NameSize];
    [FieldOffset(72)] public ulong Options;
    [FieldOffset(80)] public ulong Body;
}

/// <summary>struct nmreq_register (56 bytes, a hole at 44): the body of NETMAP_REQ_REGISTER.</summary>
[StructLayout(LayoutKind.Explicit, Size = 56)]
public struct NmreqRegister
{
    [FieldOffset(0)] public ulong Offset;
    [FieldOffset(8)] public ulong MemSize;
    [FieldOffset(16)] public uint TxSlots;
    [FieldOffset(20)] public uint RxSlots;
    [FieldOffset(24)] public ushort TxRings;
    [FieldOffset(26)] public ushort RxRings;
    [FieldOffset(28)] public ushort HostTxRings;
    [FieldOffset(30)] public ushort HostRxRings;
    [FieldOffset(32)] public ushort MemId;
    [FieldOffset(34)] public ushort RingId;
    [FieldOffset(36)] public uint Mode;
    [FieldOffset(40)] public uint ExtraBufs;
    [FieldOffset(48)] public ulong Flags;
}

/// <summary>struct netmap_if (56 bytes, then ring_ofs[]: hw TX, host TX, hw RX, host RX).</summary>
[StructLayout(LayoutKind.Explicit, Size = 56)]
public unsafe struct NetmapIf
{
    [FieldOffset(0)] public fixed byte Name[16];
    [FieldOffset(16)] public uint Version;
    [FieldOffset(20)] public uint Flags;
    [FieldOffset(24)] public uint TxRings;
    [FieldOffset(28)] public uint RxRings;
    [FieldOffset(32)] public uint BufsHead;
    [FieldOffset(36)] public uint HostTxRings;
    [FieldOffset(40)] public uint HostRxRings;

    public const int RingOffsets = 56;

    /// <summary>ring_ofs[i], relative to the netmap_if; 0 when the ring is not bound to this fd.</summary>
    public static long RingOffset(NetmapIf* nifp, int i) => ((long*)((byte*)nifp + RingOffsets))[i];

    /// <summary>The ring at ring_ofs[i], or null when it is not bound.</summary>
    public static NetmapRing* Ring(NetmapIf* nifp, int i)
    {
        long offset = RingOffset(nifp, i);
        return offset == 0 ? null : (NetmapRing*)((byte*)nifp + offset);
    }

    public int TxRingCount => (int)(TxRings + HostTxRings);
    public int RxRingCount => (int)(RxRings + HostRxRings);
}

/// <summary>struct netmap_ring (256-byte header, then the slots).</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
public unsafe struct NetmapRing
{
    [FieldOffset(0)] public long BufOffset;
    [FieldOffset(8)] public uint NumSlots;
    [FieldOffset(12)] public uint BufSize;
    [FieldOffset(16)] public ushort RingId;
    [FieldOffset(18)] public ushort Dir;
    [FieldOffset(20)] public uint Head;
    [FieldOffset(24)] public uint Cur;
    [FieldOffset(28)] public uint Tail;
    [FieldOffset(32)] public uint Flags;
    [FieldOffset(40)] public long TsSec;
    [FieldOffset(48)] public long TsUsec;
    [FieldOffset(56)] public ulong OffsetMask;
    [FieldOffset(64)] public ulong BufAlign;

    public const int SlotsOffset = 256;

    public static NetmapSlot* Slot(NetmapRing* ring, uint i) => (NetmapSlot*)((byte*)ring + SlotsOffset) + i;

    /// <summary>NETMAP_BUF plus the slot's offset (ptr AND offset_mask; 0 while offsets are off).</summary>
    public static byte* Buffer(NetmapRing* ring, NetmapSlot* slot) =>
        (byte*)ring + ring->BufOffset + (long)slot->BufIdx * ring->BufSize + (long)(slot->Ptr & ring->OffsetMask);

    /// <summary>nm_ring_next.</summary>
    public static uint Next(NetmapRing* ring, uint i) => i + 1 == ring->NumSlots ? 0 : i + 1;
}

/// <summary>struct netmap_slot (16 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct NetmapSlot
{
    [FieldOffset(0)] public uint BufIdx;
    [FieldOffset(4)] public ushort Len;
    [FieldOffset(6)] public ushort Flags;
    [FieldOffset(8)] public ulong Ptr;
}
