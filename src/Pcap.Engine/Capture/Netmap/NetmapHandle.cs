using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Capture.Linux;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Netmap;

/// <summary>
/// A handle on a netmap port: registered with NIOCCTRL/NETMAP_REQ_REGISTER at API 14, the region
/// mapped, the RX rings walked by <see cref="NetmapReceiver"/>. Unlike libpcap's pcap-netmap.c it
/// counts delivered packets, honours the timeout and non-blocking mode, wakes on pcap_breakloop,
/// syncs injected frames and reports a full TX ring, and can forward every frame (transparent mode).
/// An ordinary name mapped onto all hw rings of a port while PCAP_FANOUT is set takes the first hw ring
/// pair no other process holds (<see cref="RegisterNextRing"/>), so N processes share the port by ring.
/// </summary>
public sealed unsafe class NetmapHandle(string device, string portName, bool mapped = false) : LiveHandle(device)
{
    const int DltEn10Mb = 1;
    const int PacketMreqSize = 16; // struct packet_mreq
    const ushort PACKET_MR_PROMISC = 1;

    PortName? port;
    int fd = -1;
    int wakeFd = -1;
    byte* region;
    nuint regionSize;
    NetmapIf* nifp;
    NetmapReceiver? receiver;
    int promiscFd = -1;

    /// <summary>The port name actually opened (the device, or what PCAP_NETMAP* mapped it to).</summary>
    public string PortName => portName;

    public override int SelectableFd => fd;

    /// <summary>Microseconds from ring->ts, and nanoseconds made from them (netmap has no finer stamps).</summary>
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
            port = Netmap.PortName.Parse(portName);
            if (!FanoutOption.TryParse(Environment.GetEnvironmentVariable(FanoutOption.Variable), out var fanout, out string fanoutError))
                throw new PcapException(PcapError.Error, fanoutError);
            bool byRing = mapped && fanout != null && port.Mode is NetmapAbi.RegAllNic or NetmapAbi.RegNicSw;
            Open();
            if (byRing) RegisterNextRing();
            else if (Register(port.Mode, port.RingId, port.Flags) is int errno and not 0) throw RegisterError(errno);
            if (PromiscOption && port.Interface != null) SetPromisc(port.Interface);
            wakeFd = Libc.EventFd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
            if (wakeFd < 0) throw Errno("netmap: eventfd", Marshal.GetLastPInvokeError());

            int snap = SnapLengthOption <= 0 || SnapLengthOption > MaximumSnapLength ? MaximumSnapLength : SnapLengthOption;
            Snapshot = snap;
            LinkType = DltEn10Mb;
            Precision = PrecisionOption;
            receiver = new NetmapReceiver(nifp, port.Transparent && !byRing) { SnapLength = snap, Precision = PrecisionOption };
            Block->WakeFd = wakeFd;
            Block->Promisc = PromiscOption ? 1 : 0;
            Block->StatsSource = StatsSource.Counters;
            HandleBlock.WriteText(Block->IfName, 32, port.Interface ?? port.KernelName);
            return 0;
        }
        catch (PcapException e)
        {
            CloseModule();
            Error = e.Message;
            return e.Code;
        }
    }

    void Open()
    {
        fd = Libc.Open("/dev/netmap", Libc.O_RDWR | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            int code = errno is EPERM or EACCES ? PcapError.PermDenied : PcapError.Error;
            throw new PcapException(code, Libc.ErrnoMessage($"netmap: cannot open /dev/netmap for {portName}", errno));
        }
    }

    /// <summary>Registers the port's rings (NIOCCTRL) and maps its memory; the errno of a refused register, else 0.</summary>
    int Register(uint mode, ushort ringId, ulong flags)
    {
        NmreqHeader header = default;
        NmreqRegister body = default;
        header.Version = NetmapAbi.Api;
        header.ReqType = NetmapAbi.ReqRegister;
        System.Text.Encoding.UTF8.GetBytes(port!.KernelName, new Span<byte>(header.Name, NetmapAbi.NameSize - 1));
        header.Body = (ulong)&body;
        body.Mode = mode;
        body.RingId = ringId;
        body.Flags = flags;
        body.MemId = port.MemId;
        if (Libc.Ioctl(fd, NetmapAbi.NIOCCTRL, &header) < 0) return Marshal.GetLastPInvokeError();
        region = (byte*)Libc.Mmap(null, (nuint)body.MemSize, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
        if (region == Libc.MapFailed)
        {
            region = null;
            throw Errno($"netmap: cannot map the memory of {port.KernelName}", Marshal.GetLastPInvokeError());
        }
        regionSize = (nuint)body.MemSize;
        nifp = (NetmapIf*)(region + body.Offset);
        return 0;
    }

    PcapException RegisterError(int errno) => errno switch
    {
        ENXIO => new PcapException(PcapError.NoSuchDevice, $"netmap: no such port {port!.KernelName}"),
        EPERM or EACCES => new PcapException(PcapError.PermDenied, Libc.ErrnoMessage($"netmap: cannot register {port!.KernelName}", errno)),
        _ => Errno($"netmap: cannot register {port!.KernelName}", errno),
    };

    /// <summary>
    /// PCAP_FANOUT on netmap: processes agree on rings through netmap itself. Hw ring pair 0, 1, ... is
    /// registered alone (NR_REG_ONE_NIC) and exclusively (NR_EXCLUSIVE): netmap refuses a ring another
    /// process holds (EBUSY), and the first it grants is ours; a ring id past the last one is EINVAL,
    /// so when every ring is held the activation fails saying so. The host rings are not bound: the
    /// port is cut off from the host stack as with <c>netmap:IF</c>, and the variable's mode does not
    /// apply (the NIC's own hashing picks the ring).
    /// </summary>
    void RegisterNextRing()
    {
        ulong flags = port!.Flags | NetmapAbi.Exclusive;
        for (int ring = 0; ring <= ushort.MaxValue; ring++)
        {
            int errno = Register(NetmapAbi.RegOneNic, (ushort)ring, flags);
            if (errno == 0) return;
            if (errno == EINVAL && ring > 0)
                throw new PcapException(PcapError.Error,
                    $"netmap: {FanoutOption.Variable}: all {ring} hw rings of {port.KernelName} are held by other processes");
            if (errno != EBUSY) throw RegisterError(errno);
        }
        throw RegisterError(EBUSY);
    }

    // Promiscuous mode as libpcap's Linux module sets it: a PACKET_MR_PROMISC membership on a packet
    // socket (protocol 0, so it receives nothing) held while the handle lives. The kernel counts it and
    // drops it when the socket closes, so no privilege is needed to undo it (tcpdump has given its
    // privileges up by then; libpcap's netmap module clears IFF_PROMISC with SIOCSIFFLAGS and fails).
    void SetPromisc(string iface)
    {
        promiscFd = Libc.Socket(Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0);
        if (promiscFd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new PcapException(errno is 1 or 13 ? PcapError.PromiscPermDenied : PcapError.Error,
                Libc.ErrnoMessage("netmap: socket for promiscuous mode", errno));
        }
        byte* ifr = stackalloc byte[Libc.IfReqSize];
        new Span<byte>(ifr, Libc.IfReqSize).Clear();
        System.Text.Encoding.UTF8.GetBytes(iface, new Span<byte>(ifr, Libc.IFNAMSIZ - 1));
        if (Libc.Ioctl(promiscFd, Libc.SIOCGIFINDEX, ifr) < 0)
            throw Errno($"netmap: SIOCGIFINDEX on {iface}", Marshal.GetLastPInvokeError());
        byte* mreq = stackalloc byte[PacketMreqSize];
        new Span<byte>(mreq, PacketMreqSize).Clear();
        *(int*)mreq = *(int*)(ifr + Libc.IFNAMSIZ); // mr_ifindex
        *(ushort*)(mreq + 4) = PACKET_MR_PROMISC;    // mr_type
        if (Libc.SetSockOpt(promiscFd, Libc.SOL_PACKET, Libc.PACKET_ADD_MEMBERSHIP, mreq, PacketMreqSize) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new PcapException(errno is 1 or 13 ? PcapError.PromiscPermDenied : PcapError.Error,
                Libc.ErrnoMessage($"netmap: cannot set promiscuous mode on {iface}", errno));
        }
    }

    static PcapException Errno(string what, int errno) => new(PcapError.Error, Libc.ErrnoMessage(what, errno));

    /// <summary>
    /// Delivers packets already in the rings; when none passed the filter, waits in poll() (which
    /// syncs the rings) on the port and the wake eventfd: forever with timeout 0, until the timeout
    /// with a positive one, not at all in non-blocking mode (one NIOCRXSYNC instead).
    /// </summary>
    protected override int Read(int maxPackets, IPacketSink sink)
    {
        if (receiver == null)
        {
            Error = "This handle hasn't been activated yet";
            return PcapError.Error;
        }
        receiver.ReleaseHeld();
        if (TakeBreak()) return PcapError.Break;
        long deadline = TimeoutOption > 0 ? Environment.TickCount64 + TimeoutOption : 0;
        bool synced = false;
        for (;;)
        {
            if (receiver.HasPackets)
            {
                int n = receiver.Deliver(maxPackets, Filter, sink, Block);
                Block->PsRecv = receiver.Delivered;
                // A pcap_breakloop from the callback ends the pass, as in libpcap's Linux module.
                if (TakeBreak()) return PcapError.Break;
                if (n > 0) return n;
                continue;
            }
            if (Nonblock)
            {
                if (synced) return 0;
                synced = true;
                if (Libc.Ioctl(fd, NetmapAbi.NIOCRXSYNC, null) < 0)
                    return Fail(Libc.ErrnoMessage("netmap: NIOCRXSYNC", Marshal.GetLastPInvokeError()));
                continue;
            }
            int w = WaitForRings(fd, wakeFd, deadline, ref synced, "netmap", $"netmap: poll reported an error on {portName} (a ring was reinitialised)");
            if (w != 1) return w;
        }
    }

    int Fail(string text)
    {
        Error = text;
        return PcapError.Error;
    }

    /// <summary>
    /// Copies the frame into the first bound TX ring (NS_MOREFRAG slots when it exceeds a buffer)
    /// and pushes it out with NIOCTXSYNC. A ring that is still full after a sync is an error.
    /// </summary>
    protected override int InjectOp(byte* frame, int length)
    {
        NetmapRing* tx = TxRing();
        if (tx == null) return Fail($"netmap: {portName} is bound without TX rings");
        int slots = Math.Max(1, (int)((length + tx->BufSize - 1) / tx->BufSize));
        if (length < 0 || slots > NetmapAbi.MaxFragments)
            return Fail($"netmap: a frame of {length} bytes does not fit in {NetmapAbi.MaxFragments} netmap buffers");
        if (Space(tx) < slots)
        {
            if (Libc.Ioctl(fd, NetmapAbi.NIOCTXSYNC, null) < 0)
                return Fail(Libc.ErrnoMessage("netmap: NIOCTXSYNC", Marshal.GetLastPInvokeError()));
            if (Space(tx) < slots)
                return Fail($"netmap: TX ring of {portName} full, the frame was not sent");
        }
        uint slot = tx->Cur;
        for (int f = 0, at = 0; f < slots; f++)
        {
            NetmapSlot* s = NetmapRing.Slot(tx, slot);
            int n = Math.Min(length - at, (int)tx->BufSize);
            Buffer.MemoryCopy(frame + at, NetmapRing.Buffer(tx, s), tx->BufSize, n);
            s->Len = (ushort)n;
            s->Flags = f + 1 < slots ? NetmapAbi.SlotMoreFrag : (ushort)0;
            at += n;
            slot = NetmapRing.Next(tx, slot);
        }
        tx->Head = tx->Cur = slot;
        if (Libc.Ioctl(fd, NetmapAbi.NIOCTXSYNC, null) < 0)
            return Fail(Libc.ErrnoMessage("netmap: NIOCTXSYNC", Marshal.GetLastPInvokeError()));
        return length;
    }

    NetmapRing* TxRing()
    {
        if (nifp == null) return null;
        for (int i = 0; i < nifp->TxRingCount; i++)
        {
            NetmapRing* ring = NetmapIf.Ring(nifp, i);
            if (ring != null) return ring;
        }
        return null;
    }

    // nm_ring_space from cur: slots the user may still fill.
    static int Space(NetmapRing* ring)
    {
        int space = (int)ring->Tail - (int)ring->Cur;
        return space < 0 ? space + (int)ring->NumSlots : space;
    }

    /// <summary>
    /// pcap_setdirection: frames from the hw RX rings are incoming, frames from the host RX rings
    /// (what the host stack sends, bound with ^ or *) are outgoing. In transparent mode frames left
    /// out are still forwarded.
    /// </summary>
    protected override int SetDirectionOp(int direction)
    {
        if (receiver == null || direction < NetmapReceiver.DirectionInOut || direction > NetmapReceiver.DirectionOut)
            return Fail("Setting direction to an invalid value is not supported");
        receiver.Direction = direction;
        Direction = direction;
        return 0;
    }

    protected override void CloseModule()
    {
        if (promiscFd >= 0) Libc.Close(promiscFd);
        promiscFd = -1;
        // Released NS_FORWARD slots move on only at a sync: one last one, after the slot held for
        // pcap_next_ex and the frames not read yet are released too, so that no frame is kept from the
        // host in transparent mode.
        receiver?.ReleaseHeld();
        if (receiver is { Transparent: true })
        {
            receiver.ForwardUnread();
            Libc.Ioctl(fd, NetmapAbi.NIOCRXSYNC, null);
        }
        receiver?.Dispose();
        receiver = null;
        if (region != null) Libc.Munmap(region, regionSize);
        region = null;
        nifp = null;
        if (fd >= 0) Libc.Close(fd);
        fd = -1;
        if (Block != null) Block->WakeFd = -1;
        if (wakeFd >= 0) Libc.Close(wakeFd);
        wakeFd = -1;
    }
}
