using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Capture;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_activate(3PCAP): libpcap's wrapper around the module's activate.</summary>
static class Activate
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_activate")]
    public static int PcapActivate(IntPtr p)
    {
        try
        {
            var handle = Handle.FromPcap(p);
            if (handle.Activated || handle is not LiveHandle live)
            {
                handle.Error = LiveAbi.ActivatedText;
                return PcapError.Activated;
            }
            return Run(live);
        }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }

    /// <summary>Activation as pcap.c does it: non-blocking mode applied after, a generic text for a silent failure.</summary>
    public static int Run(LiveHandle live)
    {
        int status = live.Activate();
        if (status >= 0)
        {
            if (live.Nonblock)
            {
                int nb = live.SetNonblock(true);
                if (nb < 0) return nb;
            }
            live.MarkActivated();
        }
        else if (live.Error.Length == 0)
        {
            live.Error = StatusText.Of(status) ?? $"Unknown error: {status}";
        }
        return status;
    }
}
