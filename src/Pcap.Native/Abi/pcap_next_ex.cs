using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>
/// pcap_next_ex(3PCAP) and pcap_next: one packet at a time, the header and data valid until the next call.
/// pcap_next_ex itself is C (native-build/shim/pcap-next-ex.c): it hands out the packets a module prepared
/// and calls pcap_engine_next_ex, local to the library, for everything else.
/// </summary>
static unsafe class NextEx
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_engine_next_ex")]
    public static int PcapNextEx(IntPtr p, PacketHeader** header, byte** data)
    {
        try
        {
            int status = Handle.FromPcap(p).NextEx(out var h, out var d);
            *header = h;
            *data = d;
            return status;
        }
        catch (Exception e)
        {
            return Boundary.Fail(p, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_next")]
    public static byte* PcapNext(IntPtr p, PacketHeader* header)
    {
        try
        {
            return Handle.FromPcap(p).Next(header);
        }
        catch (Exception e)
        {
            Boundary.Fail(p, e);
            return null;
        }
    }
}
