using System;
using System.IO;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Xdp;

/// <summary>
/// A capture on an AF_XDP socket (<c>xdp:IF[@QUEUE]</c>; libpcap has no such module). The UMEM is cut
/// into frames, half of them lent to the kernel through the fill ring for RX, half kept for
/// pcap_inject's TX ring. The XDP program attached to the interface (a bpf link, so a crashed process
/// leaves nothing behind) runs the pcap filter: only accepted packets reach the socket, the rest go on
/// to the host stack. Accepted packets are handed to the callback straight from the UMEM; their frames
/// go back to the fill ring at the next read, so a pointer stays valid until then, as libpcap's do.
/// Differs from a packet socket: only incoming packets (no outgoing direction), time stamps taken when
/// user space reads a batch (AF_XDP carries none), and the accepted packets are taken away from the
/// host stack.
/// </summary>
public sealed unsafe class XdpHandle(string device, string portName) : LiveHandle(device)
{
    const int FrameSize = 4096, Frames = 4096, RxFrames = Frames / 2, RingSize = 2048;
    const int GatherBatch = 64, GatherMilliseconds = 1;

    XdpPortName? port;
    int xsk = -1, mapFd = -1, programFd = -1, linkFd = -1, wakeFd = -1;
    byte* umem;
    readonly MappedRing[] maps = new MappedRing[4];
    XdpRing rx, tx, fill, completion;
    ulong* lent;      // frames handed to the callback, back to the fill ring at the next read
    int lentCount;
    ulong* txFree;    // TX frames not in flight
    int txFreeCount;
    PacketHeader* header;
    bool filterInKernel, caplenRun; // the attached program filters (else it passes everything to the socket)
    ulong delivered;

    readonly struct MappedRing(byte* address, nuint length)
    {
        public readonly byte* Address = address;
        public readonly nuint Length = length;
    }

    public override int SelectableFd => xsk;
    public override TimestampPrecision[] Precisions => [TimestampPrecision.Micro, TimestampPrecision.Nano];

    public override int Activate()
    {
        try
        {
            if (RfmonOption)
            {
                Error = "";
                return PcapError.RfmonNotSup;
            }
            port = XdpPortName.Parse(portName, out string error) ?? throw new PcapException(PcapError.Error, error);
            uint ifindex = Libc.IfNameToIndex(port.Interface);
            if (ifindex == 0) throw new PcapException(PcapError.NoSuchDevice, $"xdp: no such interface {port.Interface}");
            if (!Directory.Exists($"/sys/class/net/{port.Interface}/queues/rx-{port.Queue}"))
                throw new PcapException(PcapError.Error, $"xdp: {port.Interface} has no RX queue {port.Queue}");

            Snapshot = SnapLengthOption <= 0 || SnapLengthOption > MaximumSnapLength ? MaximumSnapLength : SnapLengthOption;
            LinkType = DltEn10Mb;
            Precision = PrecisionOption;
            OpenSocket();
            Bind(ifindex);
            AttachProgram(ifindex);
            wakeFd = Libc.EventFd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
            if (wakeFd < 0) throw Errno("xdp: eventfd", Marshal.GetLastPInvokeError());
            header = (PacketHeader*)NativeMemory.AllocZeroed((nuint)sizeof(PacketHeader));
            Block->WakeFd = wakeFd;
            // pcap_stats (C, signal-safe) reads ps_drop from the socket's XDP_STATISTICS itself, so drops
            // show while the program is not reading.
            Block->StatsFd = xsk;
            Block->StatsSource = StatsSource.Xdp;
            HandleBlock.WriteText(Block->IfName, 32, port.Interface);
            return 0;
        }
        catch (PcapException e)
        {
            CloseModule();
            Error = e.Message;
            return e.Code;
        }
    }

    static PcapException Errno(string what, int errno) =>
        new(errno is EPERM or EACCES ? PcapError.PermDenied : PcapError.Error, Libc.ErrnoMessage(what, errno));

    void OpenSocket()
    {
        xsk = Libc.Socket(XdpAbi.AF_XDP, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0);
        if (xsk < 0) throw Errno("xdp: socket(AF_XDP)", Marshal.GetLastPInvokeError());
        umem = (byte*)Libc.Mmap(null, (nuint)Frames * FrameSize, Libc.PROT_READ | Libc.PROT_WRITE,
            Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        if (umem == Libc.MapFailed)
        {
            umem = null;
            throw Errno("xdp: cannot map the UMEM", Marshal.GetLastPInvokeError());
        }
        var reg = new XdpAbi.UmemReg { Address = (ulong)umem, Length = (ulong)Frames * FrameSize, ChunkSize = FrameSize };
        SetOption(XdpAbi.XDP_UMEM_REG, &reg, (uint)sizeof(XdpAbi.UmemReg), "XDP_UMEM_REG");
        int size = RingSize;
        SetOption(XdpAbi.XDP_UMEM_FILL_RING, &size, 4, "XDP_UMEM_FILL_RING");
        SetOption(XdpAbi.XDP_UMEM_COMPLETION_RING, &size, 4, "XDP_UMEM_COMPLETION_RING");
        SetOption(XdpAbi.XDP_RX_RING, &size, 4, "XDP_RX_RING");
        SetOption(XdpAbi.XDP_TX_RING, &size, 4, "XDP_TX_RING");
        XdpAbi.MmapOffsets off;
        uint length = (uint)sizeof(XdpAbi.MmapOffsets);
        if (Libc.GetSockOpt(xsk, XdpAbi.SOL_XDP, XdpAbi.XDP_MMAP_OFFSETS, &off, &length) < 0)
            throw Errno("xdp: getsockopt (XDP_MMAP_OFFSETS)", Marshal.GetLastPInvokeError());
        int desc = sizeof(XdpAbi.Desc);
        rx = MapRing(0, off.Rx, XdpAbi.XDP_PGOFF_RX_RING, desc);
        tx = MapRing(1, off.Tx, XdpAbi.XDP_PGOFF_TX_RING, desc);
        fill = MapRing(2, off.Fill, XdpAbi.XDP_UMEM_PGOFF_FILL_RING, sizeof(ulong));
        completion = MapRing(3, off.Completion, XdpAbi.XDP_UMEM_PGOFF_COMPLETION_RING, sizeof(ulong));

        // The RX half of the UMEM goes to the kernel now; the TX half waits for pcap_inject.
        lent = (ulong*)NativeMemory.Alloc(RxFrames, sizeof(ulong));
        txFree = (ulong*)NativeMemory.Alloc(Frames - RxFrames, sizeof(ulong));
        for (int i = 0; i < RxFrames; i++) lent[lentCount++] = (ulong)i * FrameSize;
        ReturnLentFrames();
        for (int i = RxFrames; i < Frames; i++) txFree[txFreeCount++] = (ulong)i * FrameSize;
    }

    void SetOption(int name, void* value, uint length, string what)
    {
        if (Libc.SetSockOpt(xsk, XdpAbi.SOL_XDP, name, value, length) < 0)
            throw Errno($"xdp: setsockopt ({what})", Marshal.GetLastPInvokeError());
    }

    XdpRing MapRing(int slot, XdpAbi.RingOffset offset, long pageOffset, int entrySize)
    {
        nuint length = (nuint)(offset.Desc + (ulong)RingSize * (ulong)entrySize);
        byte* map = (byte*)Libc.Mmap(null, length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED | Libc.MAP_POPULATE, xsk, pageOffset);
        if (map == Libc.MapFailed) throw Errno("xdp: cannot map a ring", Marshal.GetLastPInvokeError());
        maps[slot] = new MappedRing(map, length);
        return new XdpRing((uint*)(map + offset.Producer), (uint*)(map + offset.Consumer), map + offset.Desc, RingSize, entrySize);
    }

    // Zero-copy where the driver has it, copy mode otherwise (veth, generic XDP).

    void Bind(uint ifindex)
    {
        var address = new XdpAbi.SockaddrXdp { Family = XdpAbi.AF_XDP, IfIndex = ifindex, QueueId = port!.Queue };
        int errno = 0;
        // A socket closed by a process that just ended releases its queue a moment later (the kernel
        // frees the UMEM from a work queue): EBUSY is taken as "in use" only once it lasts.
        long deadline = Environment.TickCount64 + ReleaseGraceMilliseconds;
        while (true)
        {
            foreach (ushort mode in (ReadOnlySpan<ushort>)[XdpAbi.XDP_ZEROCOPY, XdpAbi.XDP_COPY])
            {
                address.Flags = mode;
                if (Libc.Bind(xsk, &address, (uint)sizeof(XdpAbi.SockaddrXdp)) == 0) return;
                errno = Marshal.GetLastPInvokeError();
                if (errno is EPERM or EACCES or EBUSY) break;
            }
            if (errno != EBUSY) break;
            if (Environment.TickCount64 >= deadline)
                throw new PcapException(PcapError.Error, $"xdp: queue {port.Queue} of {port.Interface} is in use by another AF_XDP socket");
            System.Threading.Thread.Sleep(10);
        }
        throw Errno($"xdp: cannot bind to queue {port.Queue} of {port.Interface}", errno);
    }

    void AttachProgram(uint ifindex)
    {
        mapFd = XdpKernel.CreateSocketMap((int)port!.Queue + 1);
        if (mapFd < 0) throw Errno("xdp: cannot create the XSKMAP", Marshal.GetLastPInvokeError());
        if (XdpKernel.UpdateMap(mapFd, (int)port.Queue, xsk) < 0)
            throw Errno("xdp: cannot put the socket in the XSKMAP", Marshal.GetLastPInvokeError());
        programFd = LoadFilter(null, out string log);
        if (programFd < 0) throw new PcapException(PcapError.Error, $"xdp: the kernel refused the XDP program: {log}");
        // Native XDP where the driver has it, the generic hook otherwise.
        linkFd = XdpKernel.Attach(programFd, ifindex, XdpAbi.XDP_FLAGS_DRV_MODE);
        if (linkFd < 0 && Marshal.GetLastPInvokeError() is EOPNOTSUPP or EINVAL)
            linkFd = XdpKernel.Attach(programFd, ifindex, XdpAbi.XDP_FLAGS_SKB_MODE);
        if (linkFd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is EBUSY or EEXIST)
                throw new PcapException(PcapError.Error, $"xdp: another XDP program is attached to {port.Interface}");
            throw Errno($"xdp: cannot attach the XDP program to {port.Interface}", errno);
        }
    }

    int LoadFilter(Bpf.Program? program, out string log)
    {
        var classic = program == null ? default : new ReadOnlySpan<Bpf.Instruction>(program.Instructions, program.Length);
        var code = XdpFilterProgram.Translate(classic, XdpFilterProgram.Accept.Redirect, mapFd);
        if (code == null)
        {
            log = "the filter does not translate to eBPF";
            return -1;
        }
        return XdpKernel.LoadProgram(code, out log);
    }

    /// <summary>
    /// Translates the filter into a new XDP program and swaps it in atomically. Where the kernel will not
    /// take it (the verifier's limits, or a process that gave up CAP_BPF before pcap_setfilter, as
    /// tcpdump does unless run with -Z root), the attached program sends every packet to the socket and
    /// the filter runs here.
    /// </summary>
    protected override int InstallFilter(Bpf.Program program)
    {
        Filter = program;
        caplenRun = XdpFilterProgram.NeedsCaplenRun(new ReadOnlySpan<Bpf.Instruction>(program.Instructions, program.Length), Snapshot);
        if (Swap(program)) return 0;
        if (!filterInKernel || Swap(null)) return 0;
        Error = Libc.ErrnoMessage("xdp: cannot replace the XDP program", Marshal.GetLastPInvokeError());
        return PcapError.Error;
    }

    bool Swap(Bpf.Program? program)
    {
        int fd = LoadFilter(program, out _);
        if (fd < 0) return false;
        if (XdpKernel.Replace(linkFd, fd) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            Libc.Close(fd);
            Marshal.SetLastPInvokeError(errno);
            return false;
        }
        Libc.Close(programFd);
        programFd = fd;
        filterInKernel = program != null;
        return true;
    }

    protected override int SetDirectionOp(int direction)
    {
        if (direction is 0 or 1) // PCAP_D_INOUT, PCAP_D_IN: an AF_XDP socket only sees what arrives
        {
            Direction = direction;
            return 0;
        }
        Error = "xdp: only incoming packets reach an AF_XDP socket (PCAP_D_OUT is not supported)";
        return PcapError.Error;
    }

    void ReturnLentFrames()
    {
        uint at = fill.ProducerIndex;
        for (int i = 0; i < lentCount; i++) *(ulong*)fill.Entry(at + (uint)i) = lent[i];
        fill.Produce((uint)lentCount);
        lentCount = 0;
    }

    protected override int Read(int maxPackets, IPacketSink sink)
    {
        ReturnLentFrames();
        if (TakeBreak()) return PcapError.Break;
        long deadline = TimeoutOption > 0 ? Environment.TickCount64 + TimeoutOption : 0;
        bool waited = false;
        for (;;)
        {
            if (rx.Available > 0)
            {
                int n = DeliverBatch(maxPackets, sink);
                if (n > 0) return n;
                if (TakeBreak()) return PcapError.Break;
                continue;
            }
            if (Nonblock) return 0;
            int w = WaitForRings(xsk, wakeFd, deadline, ref waited, "xdp", $"xdp: poll reported an error on {portName}");
            if (w != 1) return w;
            if (!ImmediateOption && rx.Available < GatherBatch) Gather();
        }
    }

    /// <summary>
    /// Woken for a few packets, the reader lets more arrive first (at most GatherMilliseconds, less than
    /// the time TPACKET_V3 holds a block): a wake per packet costs far more than the packet (bench/xdp).
    /// pcap_breakloop still ends the wait at once; immediate mode skips it.
    /// </summary>
    void Gather()
    {
        var fds = stackalloc Libc.PollFd[1];
        fds[0] = new Libc.PollFd { Fd = wakeFd, Events = Libc.POLLIN };
        Libc.Poll(fds, 1, GatherMilliseconds);
    }

    // Hands over the packets in the RX ring (all of them, or maxPackets that pass the filter), stopping
    // after a pcap_breakloop from the callback; what is not handed over stays in the ring.
    int DeliverBatch(int maxPackets, IPacketSink sink)
    {
        Libc.TimeSpec now;
        Libc.ClockGetTime(Libc.CLOCK_REALTIME, &now);
        header->TvSec = now.Seconds;
        header->TvUsec = Precision == TimestampPrecision.Nano ? now.Nanoseconds : now.Nanoseconds / 1000;
        bool runFilter = Filter != null && (!filterInKernel || caplenRun);
        uint available = rx.Available, first = rx.ConsumerIndex, taken = 0;
        int count = 0;
        while (taken < available)
        {
            var desc = (XdpAbi.Desc*)rx.Entry(first + taken++);
            lent[lentCount++] = desc->Address;
            byte* data = umem + desc->Address;
            uint length = desc->Length;
            uint keep = Math.Min(length, (uint)Snapshot);
            if (runFilter) keep = Math.Min(keep, Filter!.Run(data, length, length));
            if (keep == 0) continue;
            header->CapLen = keep;
            header->Len = length;
            delivered++;
            count++;
            sink.Packet(header, data);
            if (Block->BreakLoop != 0 || (maxPackets > 0 && count >= maxPackets)) break;
        }
        rx.Consume(taken);
        Block->PsRecv = delivered;
        return count;
    }

    int Fail(string text)
    {
        Error = text;
        return PcapError.Error;
    }

    /// <summary>
    /// Copies the frame into a free TX frame, puts it on the TX ring and kicks the socket with sendto():
    /// when that returns the kernel has taken the frame (copy mode transmits it in the call).
    /// </summary>
    protected override int InjectOp(byte* frame, int length)
    {
        if (length < 0 || length > FrameSize)
            return Fail($"xdp: a frame of {length} bytes does not fit in a {FrameSize}-byte UMEM frame");
        Reclaim();
        if (txFreeCount == 0 || tx.Free == 0)
        {
            Kick();
            Reclaim();
            if (txFreeCount == 0 || tx.Free == 0) return Fail($"xdp: TX ring of {portName} full, the frame was not sent");
        }
        ulong address = txFree[--txFreeCount];
        Buffer.MemoryCopy(frame, umem + address, FrameSize, length);
        var desc = (XdpAbi.Desc*)tx.Entry(tx.ProducerIndex);
        desc->Address = address;
        desc->Length = (uint)length;
        desc->Options = 0;
        tx.Produce(1);
        if (Kick() < 0) return Fail(Libc.ErrnoMessage("xdp: sendto", Marshal.GetLastPInvokeError()));
        Reclaim();
        return length;
    }

    int Kick()
    {
        for (;;)
        {
            if (Libc.SendTo(xsk, null, 0, Libc.MSG_DONTWAIT, null, 0) >= 0) return 0;
            int errno = Marshal.GetLastPInvokeError();
            if (errno is EAGAIN or EBUSY or ENOBUFS) return 0; // the kernel sends it later
            if (errno != EINTR) return -1;
        }
    }

    void Reclaim()
    {
        uint n = completion.Available, first = completion.ConsumerIndex;
        for (uint i = 0; i < n; i++) txFree[txFreeCount++] = *(ulong*)completion.Entry(first + i);
        completion.Consume(n);
    }

    protected override void CloseModule()
    {
        // The link's fd is the attachment: closing it detaches the program (the kernel does the same
        // when the process dies).
        if (linkFd >= 0) Libc.Close(linkFd);
        if (programFd >= 0) Libc.Close(programFd);
        if (mapFd >= 0) Libc.Close(mapFd);
        linkFd = programFd = mapFd = -1;
        for (int i = 0; i < maps.Length; i++)
            if (maps[i].Address != null) Libc.Munmap(maps[i].Address, maps[i].Length);
        Array.Clear(maps);
        if (xsk >= 0) Libc.Close(xsk);
        xsk = -1;
        if (umem != null) Libc.Munmap(umem, (nuint)Frames * FrameSize);
        umem = null;
        NativeMemory.Free(lent);
        NativeMemory.Free(txFree);
        NativeMemory.Free(header);
        lent = txFree = null;
        header = null;
        if (Block != null)
        {
            Block->WakeFd = -1;
            Block->StatsFd = -1;
            if (Block->StatsSource == StatsSource.Xdp) Block->StatsSource = StatsSource.NotActivated;
        }
        if (wakeFd >= 0) Libc.Close(wakeFd);
        wakeFd = -1;
    }
}
