using System;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Capture;

/// <summary>
/// A handle on a device: the options pcap_set_* record before activation (libpcap's pcap_opt),
/// then the module's activate. pcap_set_* after activation fail with PCAP_ERROR_ACTIVATED.
/// </summary>
public abstract class LiveHandle(string device) : Handle
{
    public const int MaximumSnapLength = 262144; // libpcap's MAXIMUM_SNAPLEN

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
    public bool Nonblock { get; set; } // pcap_setnonblock before activation

    /// <summary>pcap_setdirection's value (PCAP_D_INOUT 0, PCAP_D_IN 1, PCAP_D_OUT 2).</summary>
    public int Direction { get; protected set; }

    /// <summary>Time-stamp types the device offers beyond host (empty: only PCAP_TSTAMP_HOST, listed alone).</summary>
    public virtual int[] TimestampTypes => [];

    /// <summary>Time-stamp precisions the module offers (empty: microseconds only).</summary>
    public virtual TimestampPrecision[] Precisions => [];

    /// <summary>
    /// The module's activate: opens the device with the options above. Returns 0, a warning
    /// (PCAP_WARNING_*, text in <see cref="Handle.Error"/>) or an error code with the text set
    /// (empty text when libpcap leaves it empty). On failure the module has released everything.
    /// </summary>
    public abstract int Activate();

    public void MarkActivated() => Activated = true;

    /// <summary>An fd that poll/select report readable when a read would not block, or -1.</summary>
    public virtual int SelectableFd => -1;

    /// <summary>pcap_can_set_rfmon: 1 if monitor mode can be set, 0 if not, or an error code with the text set.</summary>
    public virtual int CanSetRfmon() => 0;

    /// <summary>pcap_get_required_select_timeout: a struct timeval the module keeps, or null when none is needed.</summary>
    public virtual IntPtr RequiredSelectTimeout => IntPtr.Zero;

    /// <summary>pcap_setnonblock on an activated handle: 0, or -1 with the text set.</summary>
    public virtual int SetNonblock(bool nonblock)
    {
        Nonblock = nonblock;
        return 0;
    }

    /// <summary>pcap_getnonblock on an activated handle: 0 or 1, or -1 with the text set.</summary>
    public virtual int GetNonblock() => Nonblock ? 1 : 0;

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
