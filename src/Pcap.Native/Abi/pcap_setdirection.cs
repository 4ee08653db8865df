using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Capture;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_setdirection(3PCAP).</summary>
static class SetDirection
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_setdirection")]
    public static int PcapSetdirection(IntPtr p, int direction)
    {
        try
        {
            var handle = Handle.FromPcap(p);
            if (handle is LiveHandle live)
                return live.Activated ? live.SetDirection(direction) : LiveAbi.NotActivated(live);
            handle.Error = LiveAbi.IsDead(handle)
                ? "The packet direction cannot be set on a pcap_open_dead pcap_t"
                : "Setting direction is not supported on savefiles";
            return PcapError.Error;
        }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }
}
