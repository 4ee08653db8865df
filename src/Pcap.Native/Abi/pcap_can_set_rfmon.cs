using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Capture;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_can_set_rfmon(3PCAP).</summary>
static class CanSetRfmon
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_can_set_rfmon")]
    public static int PcapCanSetRfmon(IntPtr p)
    {
        try
        {
            var handle = Handle.FromPcap(p);
            if (handle is LiveHandle live) return live.CanSetRfmon();
            if (LiveAbi.IsDead(handle))
            {
                handle.Error = "Rfmon mode doesn't apply on a pcap_open_dead pcap_t";
                return PcapError.Error;
            }
            return 0; // savefiles: libpcap's sf_can_set_rfmon... is never reached; no monitor mode there
        }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }
}
