using System;
using Pcap.Engine.Bpf;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Handles;

// libpcap's op table (pcap-int.h: inject_op, setfilter_op, setdirection_op, getnonblock_op,
// setnonblock_op, can_set_rfmon_op, ...): what the pcap_* functions ask of a handle, and which of
// them each kind of handle refuses. The defaults here are a capture module's generic answers;
// DeadHandle and savefiles override them with their refusals, a capture module overrides the *Op
// methods it supports. Before activation every operation answers as libpcap's
// pcap_not_initialized does, checked here once.
public abstract unsafe partial class Handle
{
    public const string NotActivatedText = "This handle hasn't been activated yet";
    public const string ActivatedText = "can't perform  operation on activated capture"; // sic: libpcap's two spaces

    /// <summary>libpcap's pcap_not_initialized: PCAP_ERROR_NOT_ACTIVATED with its text.</summary>
    protected int NotActivated()
    {
        Error = NotActivatedText;
        return PcapError.NotActivated;
    }

    /// <summary>pcap_datalink, pcap_snapshot, pcap_bufsize, ...: the value once activated, else PCAP_ERROR_NOT_ACTIVATED (no text).</summary>
    public int IfActivated(int value) => Activated ? value : PcapError.NotActivated;

    /// <summary>pcap_setnonblock before activation records the mode; pcap_activate applies it.</summary>
    public bool Nonblock { get; set; }

    /// <summary>pcap_activate: only a pcap_create'd handle not yet activated can be.</summary>
    public virtual int ActivateCapture()
    {
        Error = ActivatedText;
        return PcapError.Activated;
    }

    /// <summary>The target of pcap_set_*: the handle while not activated, else null with PCAP_ERROR_ACTIVATED (libpcap's pcap_check_activated).</summary>
    public virtual Capture.LiveHandle? Settable(out int status)
    {
        Error = ActivatedText;
        status = PcapError.Activated;
        return null;
    }

    /// <summary>pcap_inject: libpcap's size checks, then the handle's inject. <paramref name="errno"/> is errno at entry (libpcap formats its size errors with it).</summary>
    public int Inject(byte* frame, nuint size, int errno)
    {
        if (size > int.MaxValue)
        {
            Error = Errno.Message($"More than {int.MaxValue} bytes cannot be injected", EINVAL);
            return PcapError.Error;
        }
        if (size == 0)
        {
            Error = Errno.Message("The number of bytes to be injected must not be zero", errno);
            return PcapError.Error;
        }
        return Activated ? InjectOp(frame, (int)size) : NotActivated();
    }

    /// <summary>pcap_sendpacket: 0 once the frame is sent, -1 otherwise.</summary>
    public int SendPacket(byte* frame, int size, int errno)
    {
        if (size <= 0)
        {
            Error = Errno.Message("The number of bytes to be sent must be positive", errno);
            return PcapError.Error;
        }
        // libpcap tests for PCAP_ERROR alone: on a handle not activated (-3) pcap_sendpacket returns 0.
        int sent = Activated ? InjectOp(frame, size) : NotActivated();
        return sent == PcapError.Error ? PcapError.Error : 0;
    }

    /// <summary>Sends one frame: the bytes sent, or -1 with the text set.</summary>
    protected virtual int InjectOp(byte* frame, int length)
    {
        Error = "Packet injection is not supported on this device";
        return PcapError.Error;
    }

    /// <summary>pcap_setfilter with the caller's program (null: none).</summary>
    public int SetFilter(Instruction* code, uint length) => Activated ? SetFilterOp(code, length) : NotActivated();

    /// <summary>libpcap's install_bpf_program: validated and copied (the caller may free its own), then installed.</summary>
    protected virtual int SetFilterOp(Instruction* code, uint length)
    {
        if (code == null || !Validator.IsValid(code, (int)length))
        {
            Error = "BPF program is not valid";
            return PcapError.Error;
        }
        var copy = new Program(new ReadOnlySpan<Instruction>(code, (int)length));
        var old = Filter;
        int status = InstallFilter(copy);
        // A module may install the program even when it then fails (libpcap's Linux module does,
        // when the kernel refuses it): free only what the handle no longer holds.
        if (status < 0 && !ReferenceEquals(copy, Filter)) copy.Dispose();
        if (old != null && !ReferenceEquals(old, Filter)) old.Dispose();
        return status;
    }

    /// <summary>Installs a valid program; a module with a kernel filter overrides this.</summary>
    protected virtual int InstallFilter(Program program)
    {
        Filter = program;
        return 0;
    }

    /// <summary>pcap_setdirection.</summary>
    public int SetDirection(int direction) => Activated ? SetDirectionOp(direction) : NotActivated();

    protected virtual int SetDirectionOp(int direction)
    {
        Error = "Setting direction is not supported on this device";
        return PcapError.Error;
    }

    /// <summary>pcap_setnonblock: recorded before activation, the handle's op after.</summary>
    public int SetNonblock(bool nonblock) => Activated ? SetNonblockOp(nonblock) : SetNonblockUnactivated(nonblock);

    /// <summary>Before activation: the mode is recorded for pcap_activate (libpcap's pcap_setnonblock_unactivated).</summary>
    protected virtual int SetNonblockUnactivated(bool nonblock)
    {
        Nonblock = nonblock;
        return 0;
    }

    protected virtual int SetNonblockOp(bool nonblock)
    {
        Nonblock = nonblock;
        return 0;
    }

    /// <summary>pcap_getnonblock: 0 or 1, or -1 with the text set.</summary>
    public int GetNonblock() => Activated ? GetNonblockOp() : GetNonblockUnactivated();

    /// <summary>Before activation: libpcap's pcap_not_initialized (a module may answer earlier, as D-Bus does).</summary>
    protected virtual int GetNonblockUnactivated() => NotActivated();

    protected virtual int GetNonblockOp() => Nonblock ? 1 : 0;

    /// <summary>pcap_can_set_rfmon (allowed before activation): 1, 0, or an error code with the text set.</summary>
    public virtual int CanSetRfmon() => 0;

    /// <summary>pcap_get_selectable_fd: a pcap_open_dead handle's is 0 (libpcap's zeroed pcap_t).</summary>
    public virtual int SelectableFd => 0;

    /// <summary>pcap_fileno: the capture's descriptor.</summary>
    public virtual int FileNo => SelectableFd;

    /// <summary>pcap_get_required_select_timeout: a struct timeval the handle keeps, or null when none is needed.</summary>
    public virtual IntPtr RequiredSelectTimeout => IntPtr.Zero;

    /// <summary>pcap_file: the savefile's FILE *, else null.</summary>
    public virtual IntPtr StdioFile => IntPtr.Zero;

    /// <summary>pcap_is_swapped (once activated).</summary>
    public virtual bool SwappedBytes => false;

    /// <summary>pcap_major_version / pcap_minor_version (once activated): the savefile format's, else 0.</summary>
    public virtual int FormatVersion(bool major) => 0;

    /// <summary>Time-stamp types the device offers beyond host (empty: only PCAP_TSTAMP_HOST, listed alone).</summary>
    public virtual int[] TimestampTypes => [];

    /// <summary>pcap_get_tstamp_precision: the precision delivered (or asked for, before activation).</summary>
    public virtual TimestampPrecision PrecisionAsked => Precision;
}
