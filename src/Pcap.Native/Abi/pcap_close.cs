using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_close(3PCAP): closes any handle (savefile, live, dead) and frees its <c>pcap_t</c>.</summary>
static class Close
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_close")]
    public static void PcapClose(IntPtr p)
    {
        try
        {
            Handle.FromPcap(p).Dispose();
        }
        catch (Exception)
        {
            // Not one of our handles (or NULL): nothing to close, and nothing may cross the boundary.
        }
    }
}
