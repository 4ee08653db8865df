using System.Runtime.InteropServices;
using Pcap.Engine.Capture.Linux;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture;

/// <summary>pcap_lookupnet's query: SIOCGIFADDR and SIOCGIFNETMASK, with the classful mask when it is 0.</summary>
public static class DeviceNetwork
{

    /// <summary>0 with network (masked) and mask in network order, or -1 with libpcap's text.</summary>
    public static int Lookup(string device, out uint net, out uint mask, out string error)
    {
        net = mask = 0;
        error = "";
        int fd = Libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            error = Libc.ErrnoMessage("socket", Marshal.GetLastPInvokeError());
            return -1;
        }
        try
        {
            var ifr = new IfReq(device) { AddressFamily = Libc.AF_INET };
            if (ifr.Ioctl(fd, Libc.SIOCGIFADDR, out int errno) < 0)
            {
                error = errno == EADDRNOTAVAIL
                    ? $"{device}: no IPv4 address assigned"
                    : Libc.ErrnoMessage($"SIOCGIFADDR: {device}", errno);
                return -1;
            }
            net = ifr.InetAddress;
            var mreq = new IfReq(device) { AddressFamily = Libc.AF_INET };
            if (mreq.Ioctl(fd, Libc.SIOCGIFNETMASK, out errno) < 0)
            {
                error = Libc.ErrnoMessage($"SIOCGIFNETMASK: {device}", errno);
                return -1;
            }
            mask = mreq.InetAddress;
        }
        finally
        {
            Libc.Close(fd);
        }
        if (mask == 0)
        {
            // The classful mask of the address, as libpcap falls back to (both in network order).
            uint host = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(net);
            uint classMask;
            if ((host & 0x80000000) == 0) classMask = 0xff000000;
            else if ((host & 0xc0000000) == 0x80000000) classMask = 0xffff0000;
            else if ((host & 0xe0000000) == 0xc0000000) classMask = 0xffffff00;
            else
            {
                error = $"inet class for 0x{net:x} unknown";
                return -1;
            }
            mask = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(classMask);
        }
        net &= mask;
        return 0;
    }
}
