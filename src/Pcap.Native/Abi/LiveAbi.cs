using System;
using Pcap.Engine.Capture;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>Checks the live-capture entry points share (libpcap's pcap_check_activated and friends).</summary>
static class LiveAbi
{
    public const string ActivatedText = "can't perform  operation on activated capture"; // sic: libpcap's two spaces
    public const string NotActivatedText = "This handle hasn't been activated yet";

    /// <summary>The handle for a pcap_set_* call: null (with PCAP_ERROR_ACTIVATED and the text set) once activated.</summary>
    public static LiveHandle? Settable(IntPtr p, out int status)
    {
        var handle = Handle.FromPcap(p);
        if (handle.Activated || handle is not LiveHandle live)
        {
            handle.Error = ActivatedText;
            status = PcapError.Activated;
            return null;
        }
        status = 0;
        return live;
    }

    /// <summary>True for a pcap_open_dead handle.</summary>
    public static unsafe bool IsDead(Handle handle) => handle.Block->StatsSource == StatsSource.Dead;

    /// <summary>An operation on a pcap_create'd handle before pcap_activate: libpcap's not-initialized op.</summary>
    public static int NotActivated(Handle handle)
    {
        handle.Error = NotActivatedText;
        return PcapError.NotActivated;
    }
}
