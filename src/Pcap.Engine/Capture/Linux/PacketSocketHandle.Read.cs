using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Threading;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Linux;

/// <summary>
/// Reading the ring: libpcap's pcap_read_linux_mmap_v3/_v2, pcap_wait_for_frames_mmap and
/// pcap_handle_packet_mmap. Packets go to the sink straight from the ring, and a block (V3) or
/// frame (V2) goes back to the kernel as soon as its last packet has been delivered, as in libpcap:
/// once everything is consumed the descriptor is no longer readable, so a program's own poll times
/// out. Unlike libpcap, a positive read timeout also bounds the wait on an idle V3 ring.
/// </summary>
public sealed unsafe partial class PacketSocketHandle
{
    int timeout;          // the read timeout; stored negated (~timeout) in non-blocking mode
    int pollTimeout;
    int offset;           // current block (V3) or frame (V2)
    byte* currentPacket;  // V3: next packet in the current block, null between blocks
    int packetsLeft;
    // V3: the kernel filled the block on another CPU, so each packet header is a cache miss; the
    // walk asks for the lines a few packets ahead so the misses overlap (prefetched up to here).
    byte* prefetched;
    byte* blockEnd;
    const int PrefetchDistance = 2048;
    // V3: the block whose last packets a pcap_breakloop kept prepared; it goes back once they are delivered.
    uint* heldStatus;
    // pcap_next_ex/pcap_next (libpcap's oneshot buffer): a packet whose block or frame goes back to
    // the kernel in the same read is copied here, so its pointer stays valid until the next read.
    byte* oneshot;
    int loopbackIndex = -1;
    bool netdown;         // ENETDOWN seen: the device went down or away

    // libpcap's netdown_timeout: while the device is down, event loops must call back every 1 ms.
    static readonly long* NetdownTimeout = NewTimeval(0, 1000);

    static long* NewTimeval(long sec, long usec)
    {
        var tv = (long*)NativeMemory.Alloc(2, sizeof(long));
        tv[0] = sec;
        tv[1] = usec;
        return tv;
    }

    public override System.IntPtr RequiredSelectTimeout => netdown ? (System.IntPtr)NetdownTimeout : System.IntPtr.Zero;

    void SetPollTimeout()
    {
        // libpcap polls a V3 ring with no timeout and leaves the timeout to the kernel's block timer,
        // which retires only a block that holds a packet, so its reads never end on an idle
        // interface. Here poll waits at most the timeout too: at full rate blocks fill long before
        // it, so batching and wake-ups are unchanged; when idle a read returns 0 once a timeout.
        if (timeout == 0) pollTimeout = -1;
        else if (timeout > 0) pollTimeout = timeout;
        else pollTimeout = 0;
        if (loopbackIndex < 0)
        {
            var lo = new IfReq("lo");
            if (lo.Ioctl(fd, Libc.SIOCGIFINDEX, out _) == 0) loopbackIndex = lo.Int;
        }
    }

    static bool Owned(uint* status) => (Volatile.Read(ref *status) & Tpacket.StatusUser) != 0;

    static void Release(uint* status) => Volatile.Write(ref *status, Tpacket.StatusKernel);

    /// <summary>libpcap's pcap_oneshot_linux: the packet copied out of a slot about to go back to the kernel.</summary>
    byte* OneShot(byte* data, uint length)
    {
        if (oneshot == null) oneshot = (byte*)NativeMemory.Alloc((nuint)System.Math.Max(Snapshot, 1));
        System.Buffer.MemoryCopy(data, oneshot, Snapshot, length);
        return oneshot;
    }

    uint* StatusOf(int index) => (uint*)(frames[index] + (tpVersion == Tpacket.V3 ? Tpacket.BlockStatus : Tpacket.V2Status));

    protected override int Read(int maxPackets, IPacketSink sink)
    {
        if (ring == null)
        {
            Error = "This handle hasn't been activated yet";
            return PcapError.NotActivated;
        }
        if (maxPackets <= 0) maxPackets = int.MaxValue;
        if (leftoverStart < leftoverCount) return DeliverLeftovers(maxPackets, sink);
        return tpVersion == Tpacket.V3 ? ReadV3(maxPackets, sink) : ReadV2(maxPackets, sink);
    }

    // A batch: packets of a block prepared in place, handed to the C handler in one call. Batches
    // are small enough that their headers and packets are still in the first-level cache when the
    // handler reads them, large enough that the transition out of managed code is paid rarely.
    const int BatchSize = 64;
    PacketHeader* batchHeaders;
    byte** batchData;
    int leftoverStart, leftoverCount; // prepared packets a pcap_breakloop kept from the handler

    /// <summary>
    /// Prepares up to <paramref name="count"/> packets of the current block, a batch at a time, and
    /// gives them to the handler through the C shim. Returns how many it delivered, or -1. Packets a
    /// pcap_breakloop held back stay prepared in the ring (their block is not released) for the next read.
    /// </summary>
    int DeliverBatch(ICallbackSink sink, int count)
    {
        if (batchHeaders == null)
        {
            batchHeaders = (PacketHeader*)NativeMemory.Alloc(BatchSize, (nuint)sizeof(PacketHeader));
            batchData = (byte**)NativeMemory.Alloc(BatchSize, (nuint)sizeof(byte*));
        }
        // The walk keeps its cursor in locals (the fields are written back once a batch) and asks
        // for the lines ahead of it: the kernel wrote them on another CPU.
        byte* h = currentPacket;
        byte* ahead = prefetched;
        byte* end = blockEnd;
        int total = 0;
        while (count > 0)
        {
            int n = 0, r = 0, walked = 0, size = count < BatchSize ? count : BatchSize;
            for (; walked < size; walked++)
            {
                if (Sse.IsSupported)
                {
                    byte* until = h + PrefetchDistance < end ? h + PrefetchDistance : end;
                    for (; ahead < until; ahead += 64) Sse.Prefetch0(ahead);
                }
                uint status = *(uint*)(h + Tpacket.V3Status);
                ushort tci = (ushort)*(uint*)(h + Tpacket.V3VlanTci);
                r = Prepare(h, *(uint*)(h + Tpacket.V3Len), *(ushort*)(h + Tpacket.V3Mac),
                    *(uint*)(h + Tpacket.V3Snaplen), *(uint*)(h + Tpacket.V3Sec), *(uint*)(h + Tpacket.V3Nsec),
                    (status & Tpacket.StatusVlanValid) != 0 || tci != 0, tci,
                    (status & Tpacket.StatusVlanTpidValid) != 0 ? *(ushort*)(h + Tpacket.V3VlanTpid) : (ushort)0x8100,
                    batchHeaders + n, out batchData[n]);
                if (r < 0) break;
                n += r;
                h += *(uint*)(h + Tpacket.V3NextOffset);
            }
            count -= walked;
            prefetched = ahead;
            packetsLeft -= walked;
            currentPacket = r < 0 ? null : h;
            int delivered = n == 0 ? 0 : Shim.Deliver(sink.Callback, sink.User, batchHeaders, batchData, n, Block);
            total += delivered;
            // A corrupted frame ends the read after the packets before it were handed over, as in libpcap.
            if (r < 0) return r;
            if (delivered < n)
            {
                leftoverStart = delivered;
                leftoverCount = n;
                break;
            }
            if (Block->BreakLoop != 0) break;
        }
        return total;
    }

    /// <summary>The packets a pcap_breakloop held back, before anything new is read.</summary>
    int DeliverLeftovers(int maxPackets, IPacketSink sink)
    {
        int n = System.Math.Min(leftoverCount - leftoverStart, maxPackets);
        int delivered;
        if (sink is ICallbackSink callback)
        {
            delivered = Shim.Deliver(callback.Callback, callback.User, batchHeaders + leftoverStart, batchData + leftoverStart, n, Block);
        }
        else
        {
            for (delivered = 0; delivered < n && Block->BreakLoop == 0; delivered++)
            {
                PacketHeader* header = batchHeaders + leftoverStart + delivered;
                byte* data = batchData[leftoverStart + delivered];
                if (heldStatus != null && leftoverStart + delivered == leftoverCount - 1) data = OneShot(data, header->CapLen);
                sink.Packet(header, data);
            }
        }
        leftoverStart += delivered;
        if (leftoverStart >= leftoverCount)
        {
            leftoverStart = leftoverCount = 0;
            if (heldStatus != null) Release(heldStatus);
            heldStatus = null;
        }
        if (TakeBreak()) return PcapError.Break;
        return delivered;
    }

    int ReadV3(int maxPackets, IPacketSink sink)
    {
        int delivered = 0;
        for (;;)
        {
            if (currentPacket == null && !Owned(StatusOf(offset)))
            {
                int wait = WaitForFrames();
                if (wait != 0) return wait;
            }
            if (currentPacket == null && !Owned(StatusOf(offset)))
            {
                if (delivered == 0 && timeout == 0) continue; // block until a packet arrives
                return delivered;
            }

            while (delivered < maxPackets)
            {
                byte* block = frames[offset];
                if (currentPacket == null)
                {
                    if (!Owned(StatusOf(offset))) break;
                    currentPacket = block + *(uint*)(block + Tpacket.BlockOffsetToFirst);
                    packetsLeft = (int)*(uint*)(block + Tpacket.BlockNumPackets);
                    prefetched = (byte*)((nuint)currentPacket & ~(nuint)63);
                    blockEnd = block + *(uint*)(block + Tpacket.BlockLength);
                }
                int toRead = packetsLeft < maxPackets - delivered ? packetsLeft : maxPackets - delivered;
                if (sink is ICallbackSink callback)
                {
                    int batched = DeliverBatch(callback, toRead);
                    if (batched < 0) return batched;
                    delivered += batched;
                    toRead = 0;
                }
                while (toRead-- > 0 && Block->BreakLoop == 0)
                {
                    byte* h = currentPacket;
                    uint status = *(uint*)(h + Tpacket.V3Status);
                    ushort tci = (ushort)*(uint*)(h + Tpacket.V3VlanTci);
                    int r = HandlePacket(sink, h, *(uint*)(h + Tpacket.V3Len), *(ushort*)(h + Tpacket.V3Mac),
                        *(uint*)(h + Tpacket.V3Snaplen), *(uint*)(h + Tpacket.V3Sec), *(uint*)(h + Tpacket.V3Nsec),
                        (status & Tpacket.StatusVlanValid) != 0 || tci != 0, tci,
                        (status & Tpacket.StatusVlanTpidValid) != 0 ? *(ushort*)(h + Tpacket.V3VlanTpid) : (ushort)0x8100,
                        packetsLeft == 1);
                    if (r == 1) delivered++;
                    else if (r < 0)
                    {
                        currentPacket = null;
                        return r;
                    }
                    currentPacket += *(uint*)(h + Tpacket.V3NextOffset);
                    packetsLeft--;
                }
                if (packetsLeft <= 0)
                {
                    if (leftoverStart < leftoverCount) heldStatus = StatusOf(offset);
                    else Release(StatusOf(offset));
                    CountFilteredBlock();
                    if (++offset >= frameCount) offset = 0;
                    currentPacket = null;
                }
                if (TakeBreak()) return PcapError.Break;
            }
            if (delivered == 0 && timeout == 0) continue;
            return delivered;
        }
    }

    int ReadV2(int maxPackets, IPacketSink sink)
    {
        if (!Owned(StatusOf(offset)))
        {
            int wait = WaitForFrames();
            if (wait != 0) return wait;
        }
        int delivered = 0;
        while (delivered < maxPackets)
        {
            uint* status = StatusOf(offset);
            if (!Owned(status)) break;
            byte* h = frames[offset];
            uint st = *status;
            ushort tci = *(ushort*)(h + Tpacket.V2VlanTci);
            int r = HandlePacket(sink, h, *(uint*)(h + Tpacket.V2Len), *(ushort*)(h + Tpacket.V2Mac),
                *(uint*)(h + Tpacket.V2Snaplen), *(uint*)(h + Tpacket.V2Sec), *(uint*)(h + Tpacket.V2Nsec),
                (st & Tpacket.StatusVlanValid) != 0 || tci != 0, tci,
                (st & Tpacket.StatusVlanTpidValid) != 0 ? *(ushort*)(h + Tpacket.V2VlanTpid) : (ushort)0x8100, true);
            if (r == 1) delivered++;
            else if (r < 0) return r;
            Release(status);
            CountFilteredBlock();
            if (++offset >= frameCount) offset = 0;
            if (TakeBreak()) return PcapError.Break;
        }
        return delivered;
    }

    /// <summary>
    /// libpcap's pcap_wait_for_frames_mmap: poll the socket and the breakloop eventfd until packets
    /// are there, a break, an error, the timeout (which libpcap's V3 reader never sees), or
    /// (non-blocking) one empty poll. Returns 0 in every case but a break or an error.
    /// </summary>
    int WaitForFrames()
    {
        long deadline = pollTimeout > 0 ? System.Environment.TickCount64 + pollTimeout : 0;
        var fds = stackalloc Libc.PollFd[2];
        fds[0].Fd = fd;
        fds[0].Events = Libc.POLLIN;
        fds[1].Fd = Block->WakeFd;
        fds[1].Events = Libc.POLLIN;
        for (;;)
        {
            fds[0].Revents = fds[1].Revents = 0;
            int wait = pollTimeout > 0 ? (int)System.Math.Max(0, deadline - System.Environment.TickCount64) : pollTimeout;
            int ret = Libc.Poll(fds, 2, netdown && wait != 0 ? 1 : wait);
            if (ret < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != EINTR)
                {
                    Error = Libc.ErrnoMessage("can't poll on packet socket", errno);
                    return PcapError.Error;
                }
                if (TakeBreak()) return PcapError.Break;
            }
            else if (ret > 0)
            {
                short revents = fds[0].Revents;
                if (revents == Libc.POLLIN) break;
                if (revents != 0)
                {
                    if ((revents & Libc.POLLNVAL) != 0)
                    {
                        Error = "Invalid polling request on packet socket";
                        return PcapError.Error;
                    }
                    if ((revents & (Libc.POLLHUP | Libc.POLLRDHUP)) != 0)
                    {
                        Error = "Hangup on packet socket";
                        return PcapError.Error;
                    }
                    if ((revents & Libc.POLLERR) != 0)
                    {
                        int err = 0;
                        uint length = 4;
                        if (Libc.GetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_ERROR, &err, &length) < 0)
                            err = Marshal.GetLastPInvokeError();
                        if (err == ENETDOWN)
                        {
                            // Down, or gone: poll briefly until the device is back or known to be gone.
                            netdown = true;
                        }
                        else
                        {
                            Error = err == 0
                            ? "Error condition on packet socket: Reported error was 0"
                                : Libc.ErrnoMessage("Error condition on packet socket", err);
                            return PcapError.Error;
                        }
                    }
                }
                if ((fds[1].Revents & Libc.POLLIN) != 0)
                {
                    ulong value;
                    Unistd.Read(Block->WakeFd, &value, 8);
                    if (TakeBreak()) return PcapError.Break;
                }
            }
            if (netdown)
            {
                var ifr = new IfReq(Device);
                if (ifr.Ioctl(fd, Libc.SIOCGIFFLAGS, out int errno) < 0)
                {
                    Error = errno is ENODEV or 6 /* ENXIO */
                        ? "The interface disappeared"
                        : Libc.ErrnoMessage($"{Device}: Can't get flags", errno);
                    return PcapError.Error;
                }
                if ((ifr.Flags & 1 /* IFF_UP */) != 0) netdown = false;
            }
            if (pollTimeout == 0) break;
            if (pollTimeout > 0 && ret == 0 && System.Environment.TickCount64 >= deadline) break;
        }
        return 0;
    }

    /// <summary>
    /// One frame of the ring to the sink (libpcap's pcap_handle_packet_mmap): 1 delivered, 0 dropped,
    /// -1 error. <paramref name="goesBack"/>: its block or frame goes back to the kernel in this read,
    /// so pcap_next_ex and pcap_next get a copy.
    /// </summary>
    int HandlePacket(IPacketSink sink, byte* frame, uint length, uint mac, uint snaplen, uint sec, uint nsec,
        bool vlanValid, ushort tci, ushort tpid, bool goesBack)
    {
        PacketHeader header;
        int r = Prepare(frame, length, mac, snaplen, sec, nsec, vlanValid, tci, tpid, &header, out byte* data);
        if (r != 1) return r;
        if (goesBack && sink is not ICallbackSink) data = OneShot(data, header.CapLen);
        sink.Packet(&header, data);
        return r;
    }

    /// <summary>
    /// libpcap's pcap_handle_packet_mmap up to the callback: cooked header, filter, direction, header,
    /// VLAN tag, snap length. 1 with <paramref name="header"/> and <paramref name="data"/> set, 0 dropped, -1 error.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    int Prepare(byte* frame, uint length, uint mac, uint snaplen, uint sec, uint nsec,
        bool vlanValid, ushort tci, ushort tpid, PacketHeader* header, out byte* data)
    {
        data = null;
        if (mac + snaplen > frameLength) return CorruptedFrame(mac, snaplen);
        byte* bp = frame + mac;
        byte* sll = frame + Tpacket.Align(tpHeaderLength);
        uint filterLength = snaplen;
        uint headerLength = 0;
        if (cooked)
        {
            headerLength = LinkType == DltLinuxSll2 ? (uint)Tpacket.Sll2HeaderLength : Tpacket.SllHeaderLength;
            bp -= headerLength;
            if (bp < sll + Tpacket.SockaddrLlLength) return NoRoomForCookedHeader();
            BuildCookedHeader(bp, sll);
            filterLength += headerLength;
        }

        if (filterInUserland && !wireVlanFilter && Filter is { } program && program.Run(bp, length, filterLength) == 0)
            return 0;

        if (sll[Tpacket.SllPkttype] == Tpacket.PacketOutgoing)
        {
            // Outgoing on loopback comes back as incoming: count it once.
            if (*(int*)(sll + Tpacket.SllIfindex) == loopbackIndex || Direction == 1) return 0;
        }
        else if (Direction == 2)
        {
            return 0;
        }

        header->TvSec = sec;
        header->TvUsec = Precision == TimestampPrecision.Nano ? nsec : nsec / 1000;
        header->CapLen = snaplen + headerLength;
        header->Len = length + headerLength;

        if (vlanValid && vlanOffset != -1 && snaplen >= (uint)vlanOffset)
        {
            // Put back the tag the kernel took out: move the addresses 4 bytes down, tag before the type.
            bp -= Tpacket.VlanTagLength;
            System.Buffer.MemoryCopy(bp + Tpacket.VlanTagLength, bp, vlanOffset, vlanOffset);
            bp[vlanOffset] = (byte)(tpid >> 8);
            bp[vlanOffset + 1] = (byte)tpid;
            bp[vlanOffset + 2] = (byte)(tci >> 8);
            bp[vlanOffset + 3] = (byte)tci;
            header->CapLen += Tpacket.VlanTagLength;
            header->Len += Tpacket.VlanTagLength;
        }
        if (wireVlanFilter && Filter is { } wireProgram && wireProgram.Run(bp, header->Len, header->CapLen) == 0)
            return 0;
        if (header->CapLen > (uint)Snapshot) header->CapLen = (uint)Snapshot;
        data = bp;
        return 1;
    }

    // The error texts are built out of line, so the per-packet path stays small enough to inline.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    int CorruptedFrame(uint mac, uint snaplen)
    {
        Error = $"corrupted frame on kernel ring mac offset {mac} + caplen {snaplen} > frame len {frameLength}";
        return PcapError.Error;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    int NoRoomForCookedHeader()
    {
        Error = "cooked-mode frame doesn't have room for sll header";
        return PcapError.Error;
    }

    /// <summary>DLT_LINUX_SLL or DLT_LINUX_SLL2 from the kernel's sockaddr_ll, in the ring's headroom.</summary>
    void BuildCookedHeader(byte* bp, byte* sll)
    {
        ushort hatype = *(ushort*)(sll + Tpacket.SllHatype);
        byte pkttype = sll[Tpacket.SllPkttype];
        byte halen = sll[Tpacket.SllHalen];
        ushort protocol = *(ushort*)(sll + Tpacket.SllProtocol); // already network order
        if (LinkType == DltLinuxSll2)
        {
            *(ushort*)bp = protocol;
            *(ushort*)(bp + 2) = 0;
            uint index = (uint)*(int*)(sll + Tpacket.SllIfindex);
            bp[4] = (byte)(index >> 24);
            bp[5] = (byte)(index >> 16);
            bp[6] = (byte)(index >> 8);
            bp[7] = (byte)index;
            bp[8] = (byte)(hatype >> 8);
            bp[9] = (byte)hatype;
            bp[10] = pkttype;
            bp[11] = halen;
            *(ulong*)(bp + 12) = *(ulong*)(sll + Tpacket.SllAddr);
        }
        else
        {
            bp[0] = 0;
            bp[1] = pkttype;
            bp[2] = (byte)(hatype >> 8);
            bp[3] = (byte)hatype;
            bp[4] = 0;
            bp[5] = halen;
            *(ulong*)(bp + 6) = *(ulong*)(sll + Tpacket.SllAddr);
            *(ushort*)(bp + 14) = protocol;
        }
    }
}
