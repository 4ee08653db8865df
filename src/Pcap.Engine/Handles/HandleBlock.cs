using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Handles;

/// <summary>
/// The unmanaged block a <c>pcap_t *</c> points at; the C twin is native-build/shim/pcap-handle.h.
/// Signal handlers reach it through the C entry points, so it lives in malloc'd memory.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public unsafe struct HandleBlock
{
    public const int Size = 376;
    public const uint MagicValue = 0x50434150;
    public const int ErrbufSize = 256;

    [FieldOffset(0)] public uint Magic;
    [FieldOffset(4)] public volatile int BreakLoop;
    [FieldOffset(8)] public int WakeFd;
    [FieldOffset(12)] public StatsSource StatsSource;
    [FieldOffset(16)] public int StatsFd;
    [FieldOffset(20)] public int Promisc;
    [FieldOffset(24)] public ulong PsRecv;
    [FieldOffset(32)] public ulong PsDrop;
    [FieldOffset(40)] public ulong PsIfdrop;
    [FieldOffset(48)] public ulong IfdropBase;
    [FieldOffset(56)] public fixed byte IfName[32];
    [FieldOffset(88)] public long Engine;
    [FieldOffset(96)] public fixed byte Errbuf[ErrbufSize + 8];
    /// <summary>A descriptor pcap_inject sends on with a plain send() in C, or -1: the engine injects.</summary>
    [FieldOffset(360)] public int InjectFd;
    /// <summary>Packets pcap_next_ex hands out in C (native-build/shim/pcap-next-ex.c), or null.</summary>
    [FieldOffset(368)] public ReadyPackets* Ready;

    /// <summary>Writes libpcap-style error text (truncated to PCAP_ERRBUF_SIZE - 1 bytes, NUL-terminated).</summary>
    public static void WriteText(byte* dest, int capacity, string text)
    {
        if (dest == null) return;
        // Like snprintf: as much as fits, always NUL-terminated.
        System.Text.Unicode.Utf8.FromUtf16(text, new Span<byte>(dest, capacity - 1), out _, out int n);
        dest[n] = 0;
    }

    public static string ReadText(byte* src) => Marshal.PtrToStringUTF8((IntPtr)src) ?? "";
}

public enum StatsSource
{
    NotActivated = 0,
    Savefile = 1,
    Dead = 2,
    Counters = 3,
    PacketSocket = 4,
    Xdp = 5,
    /// <summary>usbmon: MON_IOCG_STATS on StatsFd, ps_recv the packets delivered plus those queued.</summary>
    Usbmon = 6,
    /// <summary>Bluetooth HCI: HCIGETDEVINFO on StatsFd for the device numbered IfdropBase.</summary>
    Bluetooth = 7,
}
