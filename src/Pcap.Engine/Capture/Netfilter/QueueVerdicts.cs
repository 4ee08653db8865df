using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Threading;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Netfilter;

/// <summary>
/// The verdicts of an nfqueue handle (libpcap's nfqueue_send_verdict with NF_ACCEPT), given by a
/// thread of the handle's own as each packet arrives (beyond libpcap, whose verdict waits for the
/// program to read, so a program that stops reading stalls the host's traffic on the queue). The
/// thread receives from the netlink socket, accepts every queued packet at once, and passes the
/// datagram on to a socket pair the handle reads from; a datagram the program has no room for
/// (it is not reading) is counted as dropped, the packets in it having gone on their way. At
/// close the thread accepts what is still in the socket and ends.
/// </summary>
sealed unsafe class QueueVerdicts
{
    readonly int netlinkFd;
    readonly int forwardFd;   // the socket pair's end the thread writes
    readonly int stopFd;      // eventfd: the handle is closing
    readonly int size;
    readonly HandleBlock* block;
    readonly Thread thread;

    QueueVerdicts(int netlinkFd, int forwardFd, int stopFd, int size, HandleBlock* block)
    {
        this.netlinkFd = netlinkFd;
        this.forwardFd = forwardFd;
        this.stopFd = stopFd;
        this.size = size;
        this.block = block;
        thread = new Thread(Run) { IsBackground = true, Name = "pcap nfqueue verdicts" };
    }

    /// <summary>
    /// Starts the thread; <paramref name="readFd"/> is then what the handle reads datagrams from.
    /// Returns null with errno set when a descriptor could not be made.
    /// </summary>
    public static QueueVerdicts? Start(int netlinkFd, int datagramSize, int receiveBuffer, HandleBlock* block, out int readFd)
    {
        readFd = -1;
        int* pair = stackalloc int[2];
        if (Libc.SocketPair(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0, pair) < 0) return null;
        int stop = Libc.EventFd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (stop < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            Libc.Close(pair[0]);
            Libc.Close(pair[1]);
            Marshal.SetLastPInvokeError(errno);
            return null;
        }
        // Room for what the program has not read yet: the buffer size it asked for, or the kernel's default.
        if (receiveBuffer > 0)
        {
            Libc.SetSockOpt(pair[0], Libc.SOL_SOCKET, SoRcvbuf, &receiveBuffer, 4);
            Libc.SetSockOpt(pair[1], Libc.SOL_SOCKET, SoSndbuf, &receiveBuffer, 4);
        }
        readFd = pair[0];
        var verdicts = new QueueVerdicts(netlinkFd, pair[1], stop, datagramSize, block);
        verdicts.thread.Start();
        return verdicts;
    }

    const int SoSndbuf = 7, SoRcvbuf = 8;

    void Run()
    {
        byte* buffer = (byte*)NativeMemory.Alloc((nuint)size);
        var fds = stackalloc Libc.PollFd[2];
        try
        {
            for (;;)
            {
                fds[0] = new Libc.PollFd { Fd = netlinkFd, Events = Libc.POLLIN };
                fds[1] = new Libc.PollFd { Fd = stopFd, Events = Libc.POLLIN };
                int r = Libc.Poll(fds, 2, -1);
                if (r < 0 && Marshal.GetLastPInvokeError() != EINTR) break;
                if (r > 0 && fds[1].Revents != 0) break;
                while (ReceiveOne(buffer, forward: true)) { }
            }
            // Closing: accept what the kernel queued and nobody will read (closing the socket would drop it).
            while (ReceiveOne(buffer, forward: false)) { }
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }

    /// <summary>One datagram from the queue, its packets accepted; false when none is waiting.</summary>
    bool ReceiveOne(byte* buffer, bool forward)
    {
        nint got = Libc.Recv(netlinkFd, buffer, (nuint)size, Libc.MSG_DONTWAIT);
        if (got < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == ENOBUFS)
            {
                Interlocked.Increment(ref block->PsDrop); // the socket's queue overflowed (libpcap's packets_nobufs)
                return true;
            }
            return errno == EINTR;
        }
        if (got == 0) return false;
        AcceptAll(netlinkFd, new ReadOnlySpan<byte>(buffer, (int)got));
        if (forward && Libc.Send(forwardFd, buffer, (nuint)got, Libc.MSG_DONTWAIT) < 0)
            Interlocked.Increment(ref block->PsDrop); // the program is not reading: accepted, not delivered
        return true;
    }

    /// <summary>Ends the thread (after it has accepted what was left) and closes its descriptors.</summary>
    public void Stop()
    {
        ulong one = 1;
        Unistd.Write(stopFd, &one, sizeof(ulong));
        thread.Join();
        Libc.Close(stopFd);
        Libc.Close(forwardFd);
    }

    /// <summary>Accepts every queued packet of one receive.</summary>
    public static void AcceptAll(int fd, ReadOnlySpan<byte> data)
    {
        for (int at = 0; data.Length - at >= Nfnetlink.HeaderLength;)
        {
            var message = data[at..];
            int len = (int)Nfnetlink.Length(message);
            if (len < Nfnetlink.HeaderLength || len > message.Length) break;
            if (Nfnetlink.MessageType(message) == Nfnetlink.Type(Nfnetlink.SubsysQueue, Nfnetlink.QueuePacket))
                Accept(fd, message[..len]);
            at += Nfnetlink.Align(len);
        }
    }

    /// <summary>libpcap's nfqueue_send_verdict with NF_ACCEPT; errors are ignored, as libpcap does.</summary>
    public static void Accept(int fd, ReadOnlySpan<byte> message)
    {
        if (message.Length < Nfnetlink.MessageHeaderLength) return;
        byte* verdict = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(new Span<byte>(verdict, 4), Nfnetlink.Accept);
        BinaryPrimitives.WriteUInt32BigEndian(new Span<byte>(verdict + 4, 4), PacketId(message));
        byte* request = stackalloc byte[64];
        // No acknowledgement is asked for, so the sequence number is not looked at.
        int n = Nfnetlink.Write(new Span<byte>(request, 64), Nfnetlink.Type(Nfnetlink.SubsysQueue, Nfnetlink.QueueVerdict), Nfnetlink.Request,
            0, 0, Nfnetlink.ResourceId(message), Nfnetlink.QueueVerdictHdr, new ReadOnlySpan<byte>(verdict, 8));
        Libc.Send(fd, request, (nuint)n, 0);
    }

    /// <summary>The packet's id from NFQA_PACKET_HDR (libpcap's id; 0 when absent).</summary>
    static uint PacketId(ReadOnlySpan<byte> message)
    {
        var walk = Nfnetlink.Attributes(message, message.Length);
        while (walk.Next())
            if (walk.Type == Nfnetlink.QueuePacketHdr && walk.DataLength >= 4)
                return BinaryPrimitives.ReadUInt32BigEndian(message[walk.DataOffset..]);
        return 0;
    }
}
