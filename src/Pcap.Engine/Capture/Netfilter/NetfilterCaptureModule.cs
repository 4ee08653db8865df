using System;
using System.Collections.Generic;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Netfilter;

/// <summary>
/// libpcap's netfilter module (pcap-netfilter-linux.c): <c>nflog[:GROUP[,GROUP...]]</c> and
/// <c>nfqueue[:N[,N...]]</c>. Debian's libpcap 1.10.3 does not claim a name with a path before
/// them ("x/nflog" is no such device), so neither does this module.
/// </summary>
public sealed class NetfilterCaptureModule : CaptureModule
{
    public const string Nflog = "nflog", Nfqueue = "nfqueue";
    const uint StatusNotApplicable = 0x30; // PCAP_IF_CONNECTION_STATUS_NOT_APPLICABLE

    public override bool Claims(string device)
    {
        string rest = device.StartsWith(Nflog, StringComparison.Ordinal) ? device[Nflog.Length..]
            : device.StartsWith(Nfqueue, StringComparison.Ordinal) ? device[Nfqueue.Length..]
            : "-";
        return rest.Length == 0 || rest[0] == ':';
    }

    public override LiveHandle Create(string device) => new NetfilterHandle(device);

    /// <summary>Both devices, when a NETLINK_NETFILTER socket can be made; an error other than "not supported" fails the list.</summary>
    public override void FindAllDevices(List<Device> devices)
    {
        int s = Libc.Socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Nfnetlink.NetlinkNetfilter);
        if (s < 0)
        {
            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno is EAFNOSUPPORT or EPROTONOSUPPORT) return;
            throw new Handles.PcapException(Libc.ErrnoMessage("Can't open netlink socket", errno));
        }
        Libc.Close(s);
        devices.Add(new Device(Nflog) { Description = "Linux netfilter log (NFLOG) interface", Flags = StatusNotApplicable });
        devices.Add(new Device(Nfqueue) { Description = "Linux netfilter queue (NFQUEUE) interface", Flags = StatusNotApplicable });
    }
}
