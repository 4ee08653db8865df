using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Netfilter;

/// <summary>
/// A capture on netfilter log groups or queues (libpcap's pcap-netfilter-linux.c): a
/// NETLINK_NETFILTER socket bound to the groups, copying whole packets up to the snap length.
/// nflog delivers LINKTYPE_NFLOG (or the bare payload as DLT_IPV4 after pcap_set_datalink), nfqueue
/// the raw packet as DLT_IPV4, and accepts every queued packet. Where it differs from libpcap:
/// each queued packet is accepted as soon as it arrives, by a thread of the handle's own
/// (<see cref="QueueVerdicts"/>), whether or not the program reads, whatever the filter or a
/// pcap_breakloop, and the packets still in the socket at close are accepted; the queue is bound
/// fail-open (a full queue lets packets through); the read timeout is honoured and a
/// non-blocking read with nothing to read returns 0 (libpcap ignores the timeout and reports
/// EAGAIN as an error); pcap_breakloop wakes a blocked read at once; packets a break held back
/// are delivered by the next read, never dropped. The selectable descriptor is an epoll set of the
/// socket and an eventfd that is readable while received messages wait in the buffer: a program
/// that reads one packet per select() wake-up (dumpcap) gets them all, where libpcap's socket
/// descriptor stays quiet over the rest of an nflog batch.
/// </summary>
public sealed unsafe class NetfilterHandle(string device) : LiveHandle(device)
{
    int fd = -1;
    int readFd = -1;    // what reads receive from: the socket (nflog), the verdict thread's socket pair (nfqueue)
    QueueVerdicts? verdicts;
    int selectFd = -1;  // epoll set: the socket and pendingFd
    int pendingFd = -1; // eventfd, readable while messages wait in the buffer
    bool isQueue;
    byte* buffer;
    int bufferSize;     // libpcap's (pcap_bufsize)
    int receiveSize;    // ours: a whole batch the kernel sends at once
    int length;     // bytes received into the buffer
    int cursor;     // next message to parse
    PacketBatch? batch;
    uint sequence = (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public override int SelectableFd => selectFd;
    public override int FileNo => readFd;
    public override int BufferSize => bufferSize;
    public override int[]? DataLinks => isQueue || !Activated ? null : [DltNflog, DltIpv4];

    public override int Activate()
    {
        int status = Open();
        if (status < 0) CloseModule();
        return status;
    }

    int Open()
    {
        if (!NetfilterGroups.Parse(Device, out isQueue, out ushort[] groups, out string error))
        {
            Error = error;
            return PcapError.Error;
        }
        Snapshot = SnapLengthToUse;
        bufferSize = 128 + Snapshot;
        // nflog sends up to 100 messages in one datagram (its default queue threshold) of at most
        // the larger of its buffer (a page or two) and one message: libpcap's buffer can be too
        // small for it, and a datagram cut short loses the rest.
        receiveSize = Math.Max(bufferSize, 65536);
        LinkType = isQueue ? DltIpv4 : DltNflog;

        fd = Libc.Socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Nfnetlink.NetlinkNetfilter);
        if (fd < 0) return Fail("Can't create raw socket", Marshal.GetLastPInvokeError());
        buffer = (byte*)NativeMemory.Alloc((nuint)receiveSize);

        int subsys = isQueue ? Nfnetlink.SubsysQueue : Nfnetlink.SubsysUlog;
        string prefix = isQueue ? "NFQNL" : "NFULNL";
        // As libpcap: unbind and bind the AF_INET handler (no-ops on kernels since 3.8), then each group.
        if (Command(subsys, 0, isQueue ? Nfnetlink.QueueCmdPfUnbind : Nfnetlink.UlogCmdPfUnbind, 2) < 0)
            return Fail($"{prefix}_CFG_CMD_PF_UNBIND", Marshal.GetLastPInvokeError());
        if (Command(subsys, 0, isQueue ? Nfnetlink.QueueCmdPfBind : Nfnetlink.UlogCmdPfBind, 2) < 0)
            return Fail($"{prefix}_CFG_CMD_PF_BIND", Marshal.GetLastPInvokeError());
        foreach (ushort group in groups)
        {
            if (BindGroup(subsys, group) < 0)
                return Fail("Can't listen on group index", Marshal.GetLastPInvokeError());
            if (CopyMode(subsys, group) < 0)
                return Fail($"{prefix}_COPY_PACKET", Marshal.GetLastPInvokeError());
            if (isQueue) FailOpen(group);
        }
        if (RfmonOption)
        {
            CloseModule();
            return PcapError.RfmonNotSup;
        }
        if (BufferSizeOption != 0)
        {
            int size = BufferSizeOption;
            if (Libc.SetSockOpt(fd, Libc.SOL_SOCKET, SoRcvbuf, &size, 4) < 0)
                return Fail("SO_RCVBUF", Marshal.GetLastPInvokeError());
        }
        Block->WakeFd = Libc.EventFd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (Block->WakeFd < 0) return Fail("eventfd", Marshal.GetLastPInvokeError());
        if (isQueue)
        {
            verdicts = QueueVerdicts.Start(fd, receiveSize, BufferSizeOption, Block, out readFd);
            if (verdicts == null) return Fail("socketpair", Marshal.GetLastPInvokeError());
        }
        else readFd = fd;
        if (OpenSelectable() < 0) return PcapError.Error;
        Block->StatsSource = StatsSource.Counters;
        batch = new PacketBatch();
        return 0;
    }

    int OpenSelectable()
    {
        pendingFd = Libc.EventFd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (pendingFd < 0) return Fail("eventfd", Marshal.GetLastPInvokeError());
        selectFd = Libc.EpollCreate1(Libc.EPOLL_CLOEXEC);
        if (selectFd < 0) return Fail("epoll_create1", Marshal.GetLastPInvokeError());
        var ev = new Libc.EpollEvent { Events = Libc.EPOLLIN };
        if (Libc.EpollCtl(selectFd, Libc.EPOLL_CTL_ADD, readFd, &ev) < 0 || Libc.EpollCtl(selectFd, Libc.EPOLL_CTL_ADD, pendingFd, &ev) < 0)
            return Fail("epoll_ctl", Marshal.GetLastPInvokeError());
        return 0;
    }

    /// <summary>Makes the selectable descriptor readable while messages wait in the buffer, and quiet when none do.</summary>
    void SignalPending()
    {
        ulong value = 1;
        if (cursor < length) Unistd.Write(pendingFd, &value, sizeof(ulong));
        else Unistd.Read(pendingFd, &value, sizeof(ulong));
    }

    const int SoRcvbuf = 8;

    int Fail(string what, int errno)
    {
        Error = Libc.ErrnoMessage(what, errno);
        return PcapError.Error;
    }

    int Command(int subsys, ushort group, byte command, ushort family)
    {
        // nfulnl_msg_config_cmd is one byte; nfqnl_msg_config_cmd is command, pad, pf (big-endian).
        byte* cmd = stackalloc byte[4];
        cmd[0] = command;
        cmd[1] = 0;
        cmd[2] = 0;
        cmd[3] = (byte)family;
        // libpcap puts the family in nfgenmsg for nflog and in the command for nfqueue.
        return isQueue
            ? Configure(subsys, 0, group, Nfnetlink.QueueCfgCmd, new ReadOnlySpan<byte>(cmd, 4))
            : Configure(subsys, (byte)family, group, Nfnetlink.UlogCfgCmd, new ReadOnlySpan<byte>(cmd, 1));
    }

    /// <summary>
    /// Binds a group. The kernel refuses a group another socket holds (EPERM, EBUSY); one whose reader has just
    /// closed its socket can still be held by a copy of it (see <see cref="LiveHandle.ReleaseGraceMilliseconds"/>).
    /// </summary>
    int BindGroup(int subsys, ushort group)
    {
        long deadline = Environment.TickCount64 + ReleaseGraceMilliseconds;
        while (true)
        {
            if (Command(subsys, group, isQueue ? Nfnetlink.QueueCmdBind : Nfnetlink.UlogCmdBind, 0) == 0) return 0;
            int errno = Marshal.GetLastPInvokeError();
            if (errno is not (EPERM or EBUSY) || Environment.TickCount64 >= deadline)
            {
                Marshal.SetLastPInvokeError(errno);
                return -1;
            }
            System.Threading.Thread.Sleep(10);
        }
    }

    int CopyMode(int subsys, ushort group)
    {
        // Copy range (big-endian) then mode: 6 bytes for nflog (with a pad byte), 5 for nfqueue.
        byte* mode = stackalloc byte[6];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(new Span<byte>(mode, 4), (uint)Snapshot);
        mode[4] = isQueue ? Nfnetlink.QueueCopyPacket : Nfnetlink.UlogCopyPacket;
        mode[5] = 0;
        return Configure(subsys, 0, group, isQueue ? Nfnetlink.QueueCfgParams : Nfnetlink.UlogCfgMode, new ReadOnlySpan<byte>(mode, isQueue ? 5 : 6));
    }

    /// <summary>Fail-open: when the queue is full the kernel lets packets through instead of dropping them (a kernel that refuses it is not an error).</summary>
    void FailOpen(ushort group)
    {
        byte* flag = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(new Span<byte>(flag, 4), Nfnetlink.QueueFlagFailOpen);
        var bits = new ReadOnlySpan<byte>(flag, 4);
        Configure(Nfnetlink.SubsysQueue, 0, group, Nfnetlink.QueueCfgFlags, bits, Nfnetlink.QueueCfgMask, bits);
    }

    /// <summary>
    /// Sends a configuration request and waits for the kernel's acknowledgement (libpcap's
    /// netfilter_send_config_msg): 0, or -1 with errno set. Queued packets that arrive meanwhile are accepted.
    /// </summary>
    int Configure(int subsys, byte family, ushort group, ushort attrType, ReadOnlySpan<byte> attr, ushort attr2Type = 0, ReadOnlySpan<byte> attr2 = default)
    {
        int type = Nfnetlink.Type(subsys, subsys == Nfnetlink.SubsysQueue ? Nfnetlink.QueueConfig : Nfnetlink.UlogConfig);
        byte* request = stackalloc byte[64];
        uint seq = ++sequence;
        int n = Nfnetlink.Write(new Span<byte>(request, 64), type, Nfnetlink.Request | Nfnetlink.Ack, seq, family, group, attrType, attr, attr2Type, attr2);
        if (Libc.Send(fd, request, (nuint)n, 0) < 0) return -1;
        return AwaitAck(seq);
    }

    int AwaitAck(uint seq)
    {
        for (;;)
        {
            nint got;
            do got = Libc.Recv(fd, buffer, (nuint)receiveSize, 0);
            while (got < 0 && Marshal.GetLastPInvokeError() == EINTR);
            if (got <= 0) return (int)got;
            var data = new ReadOnlySpan<byte>(buffer, (int)got);
            for (int at = 0; data.Length - at >= Nfnetlink.HeaderLength;)
            {
                var message = data[at..];
                int len = (int)Nfnetlink.Length(message);
                if (len < Nfnetlink.HeaderLength || len > message.Length) break;
                ushort type = Nfnetlink.MessageType(message);
                if (type == Nfnetlink.Error && Nfnetlink.Sequence(message) == seq)
                {
                    if (len < Nfnetlink.HeaderLength + 4)
                    {
                        Marshal.SetLastPInvokeError(74); // EBADMSG
                        return -1;
                    }
                    int error = -System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(message[Nfnetlink.HeaderLength..]);
                    Marshal.SetLastPInvokeError(error);
                    return error == 0 ? 0 : -1;
                }
                if (isQueue && type == Nfnetlink.Type(Nfnetlink.SubsysQueue, Nfnetlink.QueuePacket))
                    QueueVerdicts.Accept(fd, message[..len]);
                at += Nfnetlink.Align(len);
            }
        }
    }

    /// <summary>
    /// libpcap's netfilter_read_linux: the messages of one receive, each packet message delivered
    /// (after the filter) through the batch; a queue's packets were accepted when they arrived.
    /// </summary>
    protected override int Read(int maxPackets, IPacketSink sink)
    {
        int status = ReadMessages(maxPackets, sink);
        SignalPending();
        return status;
    }

    int ReadMessages(int maxPackets, IPacketSink sink)
    {
        if (TakeBreak()) return PcapError.Break;
        if (cursor >= length)
        {
            int got = Receive();
            if (got <= 0) return got;
        }
        if (maxPackets <= 0) maxPackets = int.MaxValue;
        int delivered = 0;
        while (cursor < length && delivered < maxPackets)
        {
            int status = Fill(maxPackets - delivered);
            if (status < 0) return status;
            int n = batch!.Count;
            if (n == 0) continue;
            int handed = batch.Deliver(sink, Block);
            Block->PsRecv += (ulong)handed;
            delivered += handed;
            if (handed < n)
            {
                // pcap_breakloop from the callback: the rest waits for the next read.
                cursor = (int)batch.MarkOf(handed);
                break;
            }
        }
        if (Block->BreakLoop != 0)
        {
            if (delivered == 0)
            {
                TakeBreak();
                return PcapError.Break;
            }
        }
        return delivered;
    }

    /// <summary>Waits (timeout, non-blocking mode, pcap_breakloop) and receives: bytes, 0 on timeout, -1 or -2.</summary>
    int Receive()
    {
        var fds = stackalloc Libc.PollFd[2];
        long deadline = TimeoutOption > 0 ? Environment.TickCount64 + TimeoutOption : 0;
        for (;;)
        {
            nint got = Libc.Recv(readFd, buffer, (nuint)receiveSize, Libc.MSG_DONTWAIT | Libc.MSG_TRUNC);
            if (got >= 0)
            {
                // MSG_TRUNC: the datagram's real length; what did not fit is lost (counted as a drop below).
                length = (int)Math.Min(got, receiveSize);
                cursor = 0;
                return length == 0 ? 0 : length;
            }
            int errno = Marshal.GetLastPInvokeError();
            if (errno == ENOBUFS)
            {
                System.Threading.Interlocked.Increment(ref Block->PsDrop); // the socket's queue overflowed: packets were lost (libpcap's packets_nobufs)
                continue;
            }
            if (errno != EAGAIN && errno != EINTR) return Fail("Can't receive packet", errno);
            if (Nonblock) return 0;
            int wait = TimeoutOption > 0 ? (int)Math.Max(0, deadline - Environment.TickCount64) : -1;
            if (wait == 0) return 0;
            fds[0] = new Libc.PollFd { Fd = readFd, Events = Libc.POLLIN };
            fds[1] = new Libc.PollFd { Fd = Block->WakeFd, Events = Libc.POLLIN };
            int r = Libc.Poll(fds, 2, wait);
            if (r < 0 && Marshal.GetLastPInvokeError() != EINTR) return Fail("poll", Marshal.GetLastPInvokeError());
            if (r > 0 && (fds[1].Revents & Libc.POLLIN) != 0)
            {
                ulong count;
                Unistd.Read(Block->WakeFd, &count, sizeof(ulong));
            }
            if (TakeBreak()) return PcapError.Break;
        }
    }

    /// <summary>Parses messages from the cursor into the batch, up to <paramref name="room"/> packets: 0, or -1 with libpcap's text.</summary>
    int Fill(int room)
    {
        var data = new ReadOnlySpan<byte>(buffer, length);
        long now = DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks;
        while (cursor < length && !batch!.IsFull && batch.Count < room)
        {
            if (length - cursor < Nfnetlink.HeaderLength)
            {
                cursor = length; // less than one message left
                break;
            }
            var message = data[cursor..];
            uint len = Nfnetlink.Length(message);
            if (len < Nfnetlink.HeaderLength || (uint)length < len)
            {
                Error = $"Message truncated: (got: {length}) (nlmsg_len: {len})";
                cursor = length;
                return PcapError.Error;
            }
            if (len > (uint)(length - cursor))
            {
                // The end of a datagram larger than our buffer: the kernel kept the rest.
                System.Threading.Interlocked.Increment(ref Block->PsDrop);
                cursor = length;
                break;
            }
            int start = cursor;
            ushort type = Nfnetlink.MessageType(message);
            cursor += (int)Math.Min((uint)Nfnetlink.Align((int)len), (uint)(length - cursor));
            bool packet = type == Nfnetlink.Type(Nfnetlink.SubsysUlog, Nfnetlink.UlogPacket) || type == Nfnetlink.Type(Nfnetlink.SubsysQueue, Nfnetlink.QueuePacket);
            if (!packet) continue;
            int payloadOffset = -1, payloadLength = 0;
            if (LinkType != DltNflog)
            {
                if (len < Nfnetlink.MessageHeaderLength)
                {
                    Error = $"Malformed message: (nlmsg_len: {len})";
                    return PcapError.Error;
                }
                ushort want = type >> 8 == Nfnetlink.SubsysQueue ? Nfnetlink.QueuePayload : Nfnetlink.UlogPayload;
                var walk = Nfnetlink.Attributes(message, (int)len);
                while (walk.Next())
                {
                    if (walk.Type == want)
                    {
                        payloadOffset = walk.DataOffset;
                        payloadLength = walk.DataLength;
                    }
                }
            }
            else
            {
                payloadOffset = Nfnetlink.HeaderLength;
                payloadLength = (int)len - Nfnetlink.HeaderLength;
            }
            if (payloadOffset < 0) continue;
            byte* payload = buffer + start + payloadOffset;
            if (Filter != null && Filter.Run(payload, (uint)payloadLength, (uint)payloadLength) == 0) continue;
            PacketHeader* h = batch.Add(payload, start);
            h->TvSec = now / TimeSpan.TicksPerSecond;
            h->TvUsec = now % TimeSpan.TicksPerSecond / 10;
            h->CapLen = h->Len = (uint)payloadLength;
        }
        return 0;
    }

    protected override int InjectOp(byte* frame, int length)
    {
        Error = "Packet injection is not supported on netfilter devices";
        return PcapError.Error;
    }

    protected override int SetNonblockOp(bool nonblock)
    {
        int flags = Libc.Fcntl(readFd, Libc.F_GETFL, 0);
        if (flags < 0) return Fail("F_GETFL", Marshal.GetLastPInvokeError());
        flags = nonblock ? flags | Libc.O_NONBLOCK : flags & ~Libc.O_NONBLOCK;
        if (Libc.Fcntl(readFd, Libc.F_SETFL, flags) < 0) return Fail("F_SETFL", Marshal.GetLastPInvokeError());
        Nonblock = nonblock;
        return 0;
    }

    protected override int GetNonblockOp()
    {
        int flags = Libc.Fcntl(readFd, Libc.F_GETFL, 0);
        if (flags < 0) return Fail("F_GETFL", Marshal.GetLastPInvokeError());
        return (flags & Libc.O_NONBLOCK) != 0 ? 1 : 0;
    }

    protected override void CloseModule()
    {
        // The verdict thread accepts what is still queued before the socket goes.
        verdicts?.Stop();
        verdicts = null;
        if (readFd >= 0 && readFd != fd) Libc.Close(readFd);
        readFd = -1;
        if (fd >= 0) Libc.Close(fd);
        fd = -1;
        length = cursor = 0;
        if (buffer != null) NativeMemory.Free(buffer);
        buffer = null;
        batch?.Dispose();
        batch = null;
        if (selectFd >= 0) Libc.Close(selectFd);
        if (pendingFd >= 0) Libc.Close(pendingFd);
        selectFd = pendingFd = -1;
        if (Block != null && Block->WakeFd >= 0)
        {
            Libc.Close(Block->WakeFd);
            Block->WakeFd = -1;
        }
        if (Block != null && Block->StatsSource == StatsSource.Counters) Block->StatsSource = StatsSource.NotActivated;
    }
}
