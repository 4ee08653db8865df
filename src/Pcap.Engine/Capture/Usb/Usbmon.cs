namespace Pcap.Engine.Capture.Usb;

/// <summary>The kernel's binary usbmon interface (drivers/usb/mon/mon_bin.c): ioctls and ring limits.</summary>
static class Usbmon
{
    public const string Prefix = "usbmon";
    public const string DevicePath = "/dev/usbmon";

    // _IO/_IOR/_IOWR(MON_IOC_MAGIC 0x92, n, ...) on x86-64.
    public const nuint IoctlStats = 0x80089203;      // MON_IOCG_STATS, struct mon_bin_stats (8 bytes)
    public const nuint IoctlSetRingSize = 0x9204;    // MON_IOCT_RING_SIZE
    public const nuint IoctlMultiFetch = 0xC0109207; // MON_IOCX_MFETCH, struct mon_bin_mfetch (16 bytes)
    public const nuint IoctlMultiFlush = 0x9208;     // MON_IOCH_MFLUSH

    /// <summary>mon_bin.c's ring limits (the ioctl refuses sizes outside them).</summary>
    public const int MinRingSize = 8 * 1024, MaxRingSize = 1200 * 1024;

    /// <summary>libpcap's VEC_SIZE: events fetched per MON_IOCX_MFETCH.</summary>
    public const int FetchVector = 32;

    /// <summary>struct mon_bin_mfetch.</summary>
    public unsafe struct MultiFetch
    {
        public int* Offsets;
        public int Fetch;  // in: how many to fetch; out: how many fetched
        public int Flush;  // events to flush first
    }

    /// <summary>
    /// libpcap's usb_set_ring_size for the memory-mapped header: the ring for <paramref name="snapshot"/>
    /// (payload times 5, as the kernel keeps at most a fifth of the ring per event), clamped to the
    /// kernel's limits; a ring at the maximum lowers the snapshot to what it holds.
    /// </summary>
    public static int RingSize(ref int snapshot)
    {
        if (snapshot < UsbmonEvent.HeaderLength) snapshot = UsbmonEvent.HeaderLength;
        int ring = (snapshot - UsbmonEvent.HeaderLength) * 5;
        if (ring > MaxRingSize)
        {
            ring = MaxRingSize;
            snapshot = UsbmonEvent.HeaderLength + MaxRingSize / 5;
        }
        else if (ring < MinRingSize)
        {
            ring = MinRingSize;
        }
        return ring;
    }
}
