using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture;

/// <summary>
/// A live handle reading one descriptor (usbmon, Bluetooth): libpcap's pcap_setnonblock_fd and
/// pcap_getnonblock_fd, the descriptor as the selectable one, and the wait before a read. Where it
/// differs from libpcap's modules, which block in the read for ever: the read timeout is honoured
/// and pcap_breakloop wakes a blocked read (through the handle's eventfd).
/// </summary>
public abstract unsafe class DescriptorHandle(string device) : LiveHandle(device)
{
    protected int Fd = -1;

    public override int SelectableFd => Fd;

    /// <summary>Opens the pcap_breakloop eventfd a read waits on besides the descriptor: 0, or -1 with the text set.</summary>
    protected int OpenWake()
    {
        Block->WakeFd = Libc.EventFd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        return Block->WakeFd < 0 ? Fail("eventfd", Marshal.GetLastPInvokeError()) : 0;
    }

    /// <summary>libpcap's pcap_fmt_errmsg_for_errno into the handle: always -1.</summary>
    protected int Fail(string what, int errno)
    {
        Error = Libc.ErrnoMessage(what, errno);
        return PcapError.Error;
    }

    /// <summary>
    /// Waits until the descriptor is readable: 1 (at once in non-blocking mode: the read then finds
    /// nothing), 0 once the timeout has passed, PcapError.Break, or PcapError.Error with the text.
    /// </summary>
    protected int WaitReadable()
    {
        if (Nonblock) return 1;
        long deadline = TimeoutOption > 0 ? Environment.TickCount64 + TimeoutOption : 0;
        var fds = stackalloc Libc.PollFd[2];
        for (;;)
        {
            int wait = TimeoutOption > 0 ? (int)Math.Max(0, deadline - Environment.TickCount64) : -1;
            fds[0] = new Libc.PollFd { Fd = Fd, Events = Libc.POLLIN };
            fds[1] = new Libc.PollFd { Fd = Block->WakeFd, Events = Libc.POLLIN };
            int r = Libc.Poll(fds, 2, wait);
            if (r < 0 && Marshal.GetLastPInvokeError() != EINTR) return Fail("poll", Marshal.GetLastPInvokeError());
            if (r > 0 && (fds[1].Revents & Libc.POLLIN) != 0)
            {
                ulong count;
                Unistd.Read(Block->WakeFd, &count, sizeof(ulong));
            }
            if (TakeBreak()) return PcapError.Break;
            if (r > 0 && fds[0].Revents != 0) return 1;
            if (r == 0 && TimeoutOption > 0) return 0;
        }
    }

    protected override int SetNonblockOp(bool nonblock)
    {
        int flags = Libc.Fcntl(Fd, Libc.F_GETFL, 0);
        if (flags < 0) return Fail("F_GETFL", Marshal.GetLastPInvokeError());
        flags = nonblock ? flags | Libc.O_NONBLOCK : flags & ~Libc.O_NONBLOCK;
        if (Libc.Fcntl(Fd, Libc.F_SETFL, flags) < 0) return Fail("F_SETFL", Marshal.GetLastPInvokeError());
        Nonblock = nonblock;
        return 0;
    }

    protected override int GetNonblockOp()
    {
        int flags = Libc.Fcntl(Fd, Libc.F_GETFL, 0);
        if (flags < 0) return Fail("F_GETFL", Marshal.GetLastPInvokeError());
        return (flags & Libc.O_NONBLOCK) != 0 ? 1 : 0;
    }

    /// <summary>libpcap's setdirection_op of these modules: the direction is recorded (usbmon then ignores it).</summary>
    protected override int SetDirectionOp(int direction)
    {
        Direction = direction;
        return 0;
    }

    /// <summary>Closes the descriptor and the eventfd and leaves the stats to "not activated".</summary>
    protected override void CloseModule()
    {
        if (Fd >= 0) Libc.Close(Fd);
        Fd = -1;
        if (Block == null) return;
        if (Block->WakeFd >= 0) Libc.Close(Block->WakeFd);
        Block->WakeFd = -1;
        Block->StatsFd = -1;
        Block->StatsSource = StatsSource.NotActivated;
    }
}
