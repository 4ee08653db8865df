using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Native.Abi;

/// <summary>
/// pcap_inject(3PCAP) and pcap_sendpacket where C does not send the frame itself
/// (native-build/shim/pcap-inject.c calls these, which stay local to the library).
/// </summary>
static unsafe class Inject
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_engine_inject")]
    public static int PcapInject(IntPtr p, byte* buffer, nuint size)
    {
        int errno = Errno.Current; // read before anything can change it
        try { return Handle.FromPcap(p).Inject(buffer, size, errno); }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_engine_sendpacket")]
    public static int PcapSendpacket(IntPtr p, byte* buffer, int size)
    {
        int errno = Errno.Current;
        try { return Handle.FromPcap(p).SendPacket(buffer, size, errno); }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }
}
