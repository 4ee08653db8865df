using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Linux;

/// <summary>
/// pcap_findalldevs on Linux as Debian's libpcap 1.10 lists it: every interface getifaddrs knows
/// with its addresses (link-layer, IPv4, IPv6) and flags, "any", then the pseudo-devices of the
/// other capture modules Debian builds in.
/// </summary>
static unsafe class LinuxDevices
{
    const uint IffUp = 0x1, IffBroadcast = 0x2, IffLoopback = 0x8, IffPointToPoint = 0x10, IffRunning = 0x40;
    const uint PcapIfLoopback = 1, PcapIfUp = 2, PcapIfRunning = 4, PcapIfWireless = 8;
    const uint StatusConnected = 0x10, StatusDisconnected = 0x20, StatusNotApplicable = 0x30;

    public static void Find(List<Device> devices)
    {
        Libc.IfAddrs* list;
        if (Libc.GetIfAddrs(&list) < 0)
            throw new Handles.PcapException(Libc.ErrnoMessage("getifaddrs", Marshal.GetLastPInvokeError()));
        int sock = Libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        try
        {
            var byName = new Dictionary<string, Device>();
            for (var ifa = list; ifa != null; ifa = ifa->Next)
            {
                string name = Marshal.PtrToStringUTF8((nint)ifa->Name) ?? "";
                if (!byName.TryGetValue(name, out var device))
                {
                    device = new Device(name) { Flags = Flags(sock, name, ifa->Flags) };
                    byName[name] = device;
                    devices.Add(device);
                }
                if (ifa->Addr == null) continue;
                byte* broad = (ifa->Flags & IffBroadcast) != 0 ? ifa->BroadOrDstAddr : null;
                byte* dst = (ifa->Flags & IffPointToPoint) != 0 ? ifa->BroadOrDstAddr : null;
                device.Addresses.Add(new DeviceAddress((AddressFamily)(*(ushort*)ifa->Addr),
                    Copy(ifa->Addr), Copy(ifa->Netmask), Copy(broad), Copy(dst)));
            }
        }
        finally
        {
            Libc.FreeIfAddrs(list);
            if (sock >= 0) Libc.Close(sock);
        }

        devices.Add(new Device("any")
        {
            Description = "Pseudo-device that captures on all interfaces",
            Flags = PcapIfUp | PcapIfRunning | StatusNotApplicable,
        });
    }

    /// <summary>libpcap's sockaddr lengths: sockaddr_in, sockaddr_in6, sockaddr_ll, else struct sockaddr.</summary>
    static byte[]? Copy(byte* sa)
    {
        if (sa == null) return null;
        int length = *(ushort*)sa switch
        {
            Libc.AF_INET => 16,
            Libc.AF_INET6 => 28,
            Libc.AF_PACKET => 20,
            _ => 16,
        };
        return new ReadOnlySpan<byte>(sa, length).ToArray();
    }

    /// <summary>PCAP_IF_ flags as libpcap's get_if_flags sets them: up, running, loopback, wireless, link state.</summary>
    static uint Flags(int sock, string name, uint iff)
    {
        uint flags = 0;
        if ((iff & IffLoopback) != 0) flags |= PcapIfLoopback;
        if ((iff & IffUp) != 0) flags |= PcapIfUp;
        if ((iff & IffRunning) != 0) flags |= PcapIfRunning;
        if ((flags & PcapIfLoopback) != 0) return flags | StatusNotApplicable;

        if (Directory.Exists($"/sys/class/net/{name}/wireless"))
        {
            flags |= PcapIfWireless;
        }
        else if (int.TryParse(ReadSys($"/sys/class/net/{name}/type"), out int arptype))
        {
            if (arptype == 772) return flags; // ARPHRD_LOOPBACK: link state does not apply, none said
            // IrDA, 802.11 (plain, Prism, radiotap), 802.15.4 (plain, monitor), 6LoWPAN.
            if (arptype is 783 or 801 or 802 or 803 or 804 or 805 or 825) flags |= PcapIfWireless;
        }
        if (sock < 0) return flags;
        int link = Ethtool.Link(sock, name, out int errno);
        if (link < 0)
            return errno is EOPNOTSUPP or EINVAL ? flags | StatusNotApplicable : flags;
        return flags | (link == 1 ? StatusConnected : StatusDisconnected);
    }

    static string ReadSys(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
