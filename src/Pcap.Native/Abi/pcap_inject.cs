using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Capture;
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
        int errno = Errno.Current; // libpcap formats its size errors with whatever errno holds
        try
        {
            var handle = Handle.FromPcap(p);
            if (size > int.MaxValue)
            {
                handle.Error = Errno.Message($"More than {int.MaxValue} bytes cannot be injected", 22);
                return PcapError.Error;
            }
            if (size == 0)
            {
                handle.Error = Errno.Message("The number of bytes to be injected must not be zero", errno);
                return PcapError.Error;
            }
            return Send(handle, buffer, (int)size);
        }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_engine_sendpacket")]
    public static int PcapSendpacket(IntPtr p, byte* buffer, int size)
    {
        int errno = Errno.Current;
        try
        {
            var handle = Handle.FromPcap(p);
            if (size <= 0)
            {
                handle.Error = Errno.Message("The number of bytes to be sent must be positive", errno);
                return PcapError.Error;
            }
            return Send(handle, buffer, size) == PcapError.Error ? PcapError.Error : 0;
        }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }

    static int Send(Handle handle, byte* buffer, int size)
    {
        if (handle is LiveHandle live)
            return live.Activated ? live.Inject(buffer, size) : LiveAbi.NotActivated(live);
        handle.Error = LiveAbi.IsDead(handle)
            ? "Packets can't be sent on a pcap_open_dead pcap_t"
            : "Sending packets isn't supported on savefiles";
        return PcapError.Error;
    }
}
