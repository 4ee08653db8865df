using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Capture;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_setnonblock(3PCAP) and pcap_getnonblock: errors are copied to errbuf as well.</summary>
static unsafe class Nonblock
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_setnonblock")]
    public static int PcapSetnonblock(IntPtr p, int nonblock, byte* errbuf)
    {
        try
        {
            var handle = Handle.FromPcap(p);
            int rc;
            if (handle is LiveHandle live)
            {
                if (!live.Activated)
                {
                    live.Nonblock = nonblock != 0; // applied by pcap_activate
                    return 0;
                }
                rc = live.SetNonblock(nonblock != 0);
            }
            else
            {
                handle.Error = LiveAbi.IsDead(handle)
                    ? "A pcap_open_dead pcap_t does not have a non-blocking mode setting"
                    : "Savefiles cannot be put into non-blocking mode";
                rc = PcapError.Error;
            }
            if (rc == PcapError.Error) Boundary.WriteErrbuf(errbuf, handle.Error);
            return rc;
        }
        catch (Exception e) { return Boundary.Fail(errbuf, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_getnonblock")]
    public static int PcapGetnonblock(IntPtr p, byte* errbuf)
    {
        try
        {
            var handle = Handle.FromPcap(p);
            int rc;
            if (handle is LiveHandle live)
            {
                rc = live.Activated ? live.GetNonblock() : LiveAbi.NotActivated(live);
            }
            else if (LiveAbi.IsDead(handle))
            {
                handle.Error = "A pcap_open_dead pcap_t does not have a non-blocking mode setting";
                rc = PcapError.Error;
            }
            else
            {
                rc = 0; // savefiles never block
            }
            if (rc == PcapError.Error) Boundary.WriteErrbuf(errbuf, handle.Error);
            return rc;
        }
        catch (Exception e) { return Boundary.Fail(errbuf, e); }
    }
}
