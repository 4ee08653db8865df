using Pcap.Engine.Handles;

namespace Pcap.Engine.Capture;


/// <summary>
/// A handle on a device: the options pcap_set_* record before activation (libpcap's pcap_opt),
/// then the module's activate. pcap_set_* after activation fail with PCAP_ERROR_ACTIVATED.
/// </summary>
public abstract class LiveHandle(string device) : Handle
{
    public string Device { get; } = device;

    // Options as libpcap 1.10 defaults them in pcap_create.
    public int SnapLengthOption { get; set; } // 0: not set, MAXIMUM_SNAPLEN (262144) at activation
    public bool PromiscOption { get; set; }
    public bool RfmonOption { get; set; }
    public int TimeoutOption { get; set; } // ms; 0 blocks until a packet arrives
    public int BufferSizeOption { get; set; } // 0: module default
    public bool ImmediateOption { get; set; }
    public int TimestampTypeOption { get; set; } = -1; // -1: not set (host)
    public TimestampPrecision PrecisionOption { get; set; }
    public int ProtocolOption { get; set; } // pcap_set_protocol_linux; 0: ETH_P_ALL
    public bool Nonblock { get; set; }

    /// <summary>
    /// The module's activate: opens the device with the options above. Returns 0, a warning
    /// (PCAP_WARNING_*, text in <see cref="Handle.Error"/>) or an error code with the text set.
    /// </summary>
    public abstract int Activate();

    public void MarkActivated() => Activated = true;

    /// <summary>An fd that poll/select report readable when a read would not block, or -1.</summary>
    public virtual int SelectableFd => -1;

    /// <summary>Sends one frame. Returns the bytes sent, or -1 with the text set.</summary>
    public virtual unsafe int Inject(byte* frame, int length)
    {
        Error = "Packet injection is not supported on this device";
        return PcapError.Error;
    }

    /// <summary>pcap_setdirection; libpcap's text where the module cannot.</summary>
    public virtual int SetDirection(int direction)
    {
        Error = "Setting direction is not supported on this device";
        return PcapError.Error;
    }

    /// <summary>Installs the program; a module with a kernel filter overrides this.</summary>
    public virtual int SetFilter(Bpf.Program program)
    {
        Filter = program;
        return 0;
    }
}
