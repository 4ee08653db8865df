using System;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Capture;

/// <summary>
/// A handle on a device (pcap_create): the options pcap_set_* record before activation (libpcap's
/// pcap_opt), then the module's activate. A module overrides the op-table methods of
/// <see cref="Handle"/> it supports (Handles/Handle.Operations.cs); the checks before activation are there.
/// </summary>
public abstract class LiveHandle(string device) : Handle
{
    /// <summary>
    /// How long a kernel object a closed socket held (an AF_XDP queue, a netfilter group) may still look taken:
    /// its release waits for the last copy of the socket (a process forked meanwhile, until its exec) or for a
    /// kernel work queue. "In use" is reported only once it lasts this long.
    /// </summary>
    protected const int ReleaseGraceMilliseconds = 500;

    /// <summary>libpcap's MAXIMUM_SNAPLEN (defined once, in <see cref="LinkTypes.SnapLength"/>).</summary>
    public const int MaximumSnapLength = LinkTypes.SnapLength.Maximum;

    public string Device { get; } = device;

    // Options as libpcap 1.10 defaults them in pcap_create.
    public int SnapLengthOption { get; set; } // 0: not set, MAXIMUM_SNAPLEN at activation
    public bool PromiscOption { get; set; }
    public bool RfmonOption { get; set; }
    public int TimeoutOption { get; set; } // ms; 0 blocks until a packet arrives
    public int BufferSizeOption { get; set; } // 0: module default
    public bool ImmediateOption { get; set; }
    public int TimestampTypeOption { get; set; } = -1; // -1: not set (host)
    public TimestampPrecision PrecisionOption { get; set; }
    public int ProtocolOption { get; set; } // pcap_set_protocol_linux; 0: ETH_P_ALL

    /// <summary>The snap length a module uses: the option, or MAXIMUM_SNAPLEN when it is unset or out of range.</summary>
    protected int SnapLengthToUse => SnapLengthOption <= 0 || SnapLengthOption > MaximumSnapLength ? MaximumSnapLength : SnapLengthOption;

    /// <summary>pcap_setdirection's value (PCAP_D_INOUT 0, PCAP_D_IN 1, PCAP_D_OUT 2).</summary>
    public int Direction { get; protected set; }

    /// <summary>Time-stamp precisions the module offers (empty: microseconds only).</summary>
    public virtual TimestampPrecision[] Precisions => [];

    /// <summary>
    /// The module's activate: opens the device with the options above. Returns 0, a warning
    /// (PCAP_WARNING_*, text in <see cref="Handle.Error"/>) or an error code with the text set
    /// (empty text when libpcap leaves it empty). On failure the module has released everything.
    /// </summary>
    public abstract int Activate();

    /// <summary>pcap_activate as pcap.c wraps the module's: non-blocking mode applied after, a generic text for a silent failure.</summary>
    public override int ActivateCapture()
    {
        if (Activated) return base.ActivateCapture();
        int status = Activate();
        if (status >= 0)
        {
            // As pcap.c: the non-blocking mode's status replaces a warning; a failure undoes the activation.
            if (Nonblock)
            {
                status = SetNonblockOp(true);
                if (status < 0)
                {
                    CloseModule();
                    return status;
                }
            }
            Activated = true;
        }
        else if (Error.Length == 0)
        {
            Error = StatusText.Of(status);
        }
        return status;
    }

    public override LiveHandle? Settable(out int status)
    {
        if (Activated) return base.Settable(out status);
        status = 0;
        return this;
    }

    /// <summary>A live handle has no descriptor until its module opens one.</summary>
    public override int SelectableFd => -1;

    public override TimestampPrecision PrecisionAsked => Activated ? Precision : PrecisionOption;
    /// <summary>
    /// The wait of a module that delivers straight from shared rings (netmap, AF_XDP) when its rings
    /// hold nothing: poll() on <paramref name="fd"/> and the pcap_breakloop eventfd, until the read's
    /// <paramref name="deadline"/> (a positive timeout), for ever with timeout 0. Returns 1 when the
    /// rings are worth another look, else what the read returns: 0 once the timeout has passed (after
    /// one look at least: <paramref name="waited"/>), PcapError.Break, or PcapError.Error with the text.
    /// </summary>
    protected unsafe int WaitForRings(int fd, int wakeFd, long deadline, ref bool waited, string module, string ringError)
    {
        int wait = TimeoutOption > 0 ? (int)Math.Max(0, deadline - Environment.TickCount64) : -1;
        if (wait == 0 && waited) return 0;
        waited = true;
        var fds = stackalloc Interop.Libc.PollFd[2];
        fds[0] = new Interop.Libc.PollFd { Fd = fd, Events = Interop.Libc.POLLIN };
        fds[1] = new Interop.Libc.PollFd { Fd = wakeFd, Events = Interop.Libc.POLLIN };
        int r = Interop.Libc.Poll(fds, 2, wait);
        if (r < 0)
        {
            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno != EINTR) // EINTR: look at the break flag
            {
                Error = Interop.Libc.ErrnoMessage($"{module}: poll", errno);
                return PcapError.Error;
            }
        }
        if (r > 0 && (fds[1].Revents & Interop.Libc.POLLIN) != 0)
        {
            ulong count;
            Interop.Unistd.Read(wakeFd, &count, sizeof(ulong));
        }
        if (TakeBreak()) return PcapError.Break;
        if (r > 0 && (fds[0].Revents & (Interop.Libc.POLLERR | Interop.Libc.POLLNVAL)) != 0)
        {
            Error = ringError;
            return PcapError.Error;
        }
        if (r == 0 && TimeoutOption > 0) return 0;
        return 1;
    }
}
