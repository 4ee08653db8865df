using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Capture;

namespace Pcap.Native.Abi;

/// <summary>pcap_lookupnet(3PCAP): the IPv4 network and mask of a device, with libpcap's texts.</summary>
static unsafe class LookupNet
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_lookupnet")]
    public static int PcapLookupnet(byte* device, uint* net, uint* mask, byte* errbuf)
    {
        try
        {
            string? name = device == null ? null : Marshal.PtrToStringUTF8((IntPtr)device);
            if (name == null || CaptureModules.HasNoNetwork(name))
            {
                *net = *mask = 0;
                return 0;
            }
            int status = DeviceNetwork.Lookup(name, out uint n, out uint m, out string error);
            if (status < 0)
            {
                Boundary.WriteErrbuf(errbuf, error);
                return -1;
            }
            *net = n;
            *mask = m;
            return 0;
        }
        catch (Exception e) { return Boundary.Fail(errbuf, e); }
    }
}
