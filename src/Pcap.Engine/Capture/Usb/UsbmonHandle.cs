using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Usb;

/// <summary>
/// A capture on a USB bus (libpcap's pcap-usb-linux.c, memory-mapped access): /dev/usbmonN, a ring
/// sized for the snapshot and mapped read-only, events fetched with MON_IOCX_MFETCH and delivered in
/// place as LINKTYPE_USB_LINUX_MMAPPED, then flushed; the devices on the bus are asked for their
/// descriptors at activation, as libpcap does, so the capture holds them. Filters run in user space;
/// pcap_setdirection is accepted and ignored; pcap_stats asks MON_IOCG_STATS (in C, the shim's
/// pcap-stats-usbmon.c). Where it differs from libpcap: the read timeout is honoured and
/// pcap_breakloop wakes a blocked read; a read takes one fetch (libpcap's pcap_dispatch with a count
/// fetches until it has that many); a pcap_breakloop from the callback leaves the events not yet
/// delivered in the ring for the next read (libpcap flushes them unseen); a ring the kernel will not
/// map is an error (libpcap falls back on the unmapped interface, DLT_USB_LINUX).
/// </summary>
public sealed unsafe class UsbmonHandle(string device) : DescriptorHandle(device)
{
    byte* ring;
    int ringSize;
    int bufferSize;
    int* offsets;
    PacketBatch? batch;

    public override int BufferSize => bufferSize;

    public override int Activate()
    {
        int status = Open();
        if (status < 0) CloseModule();
        return status;
    }

    int Open()
    {
        Snapshot = SnapLengthToUse;
        bufferSize = Snapshot;
        LinkType = DltUsbLinux;
        if (!DeviceNumber.Scan(Device, Usbmon.Prefix, out int bus))
        {
            Error = $"Can't get USB bus index from {Device}";
            return PcapError.Error;
        }
        string path = Usbmon.DevicePath + bus;
        Fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (Fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == ENOENT)
            {
                Error = ""; // libpcap says nothing: the module or this bus is missing
                return PcapError.NoSuchDevice;
            }
            if (errno == EACCES)
            {
                Error = $"Attempt to open {path} failed with EACCES - root privileges may be required";
                return PcapError.PermDenied;
            }
            return Fail($"Can't open USB bus file {path}", errno);
        }
        if (RfmonOption) return PcapError.RfmonNotSup;

        int snapshot = Snapshot;
        ringSize = Usbmon.RingSize(ref snapshot);
        Snapshot = snapshot;
        if (Libc.Ioctl(Fd, Usbmon.IoctlSetRingSize, (void*)(nint)ringSize) < 0)
            return Fail($"Can't set ring size from fd {Fd}", Marshal.GetLastPInvokeError());
        void* map = Libc.Mmap(null, (nuint)ringSize, Libc.PROT_READ, Libc.MAP_SHARED, Fd, 0);
        if (map == Libc.MapFailed)
            return Fail($"Can't map the ring of fd {Fd}", Marshal.GetLastPInvokeError());
        ring = (byte*)map;
        LinkType = DltUsbLinuxMmapped;
        UsbDeviceProbe.Probe(bus);

        if (OpenWake() < 0) return PcapError.Error;
        offsets = (int*)NativeMemory.Alloc(Usbmon.FetchVector, sizeof(int));
        batch = new PacketBatch();
        Block->PsRecv = 0;
        Block->StatsFd = Fd;
        Block->StatsSource = StatsSource.Usbmon;
        return 0;
    }

    /// <summary>
    /// libpcap's usb_read_linux_mmap: one MON_IOCX_MFETCH of at most 32 events (the count asked for,
    /// if fewer), delivered through the batch; the events looked at are flushed from the ring after.
    /// </summary>
    protected override int Read(int maxPackets, IPacketSink sink)
    {
        if (TakeBreak()) return PcapError.Break;
        int ready = WaitReadable();
        if (ready <= 0) return ready;
        if (maxPackets <= 0) maxPackets = int.MaxValue;
        var fetch = new Usbmon.MultiFetch { Offsets = offsets, Fetch = Math.Min(Usbmon.FetchVector, maxPackets) };
        int r;
        do r = Libc.Ioctl(Fd, Usbmon.IoctlMultiFetch, &fetch);
        while (r < 0 && Marshal.GetLastPInvokeError() == EINTR && Block->BreakLoop == 0);
        if (TakeBreak()) return PcapError.Break;
        if (r < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == EAGAIN ? 0 : Fail($"Can't mfetch fd {Fd}", errno);
        }
        uint maxData = (uint)(Snapshot - UsbmonEvent.HeaderLength);
        int delivered = 0, looked = 0;
        while (looked < fetch.Fetch && delivered < maxPackets)
        {
            looked = UsbmonRing.Fill(ring, offsets, looked, fetch.Fetch, maxData, Filter, batch!, maxPackets - delivered);
            int n = batch!.Count;
            if (n == 0) continue;
            int handed = batch.Deliver(sink, Block);
            delivered += handed;
            Block->PsRecv += (ulong)handed;
            if (handed < n)
            {
                looked = (int)batch.MarkOf(handed); // pcap_breakloop: the rest stays in the ring
                break;
            }
        }
        if (Libc.Ioctl(Fd, Usbmon.IoctlMultiFlush, (void*)(nint)looked) < 0)
            return Fail($"Can't mflush fd {Fd}", Marshal.GetLastPInvokeError());
        if (delivered == 0 && TakeBreak()) return PcapError.Break;
        return delivered;
    }

    protected override int InjectOp(byte* frame, int length)
    {
        Error = "Packet injection is not supported on USB devices";
        return PcapError.Error;
    }

    protected override void CloseModule()
    {
        if (ring != null) Libc.Munmap(ring, (nuint)ringSize);
        ring = null;
        if (offsets != null) NativeMemory.Free(offsets);
        offsets = null;
        batch?.Dispose();
        batch = null;
        base.CloseModule();
    }
}
