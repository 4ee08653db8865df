using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_setnonblock(3PCAP) and pcap_getnonblock: a PCAP_ERROR's text is copied to errbuf as well.</summary>
static unsafe class Nonblock
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_setnonblock")]
    public static int PcapSetnonblock(IntPtr p, int nonblock, byte* errbuf)
    {
        try
        {
            var handle = Handle.FromPcap(p);
            return ToErrbuf(handle, handle.SetNonblock(nonblock != 0), errbuf);
        }
        catch (Exception e) { return Boundary.Fail(errbuf, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_getnonblock")]
    public static int PcapGetnonblock(IntPtr p, byte* errbuf)
    {
        try
        {
            var handle = Handle.FromPcap(p);
            return ToErrbuf(handle, handle.GetNonblock(), errbuf);
        }
        catch (Exception e) { return Boundary.Fail(errbuf, e); }
    }

    static int ToErrbuf(Handle handle, int rc, byte* errbuf)
    {
        if (rc == PcapError.Error) Boundary.WriteErrbuf(errbuf, handle.Error);
        return rc;
    }
}
