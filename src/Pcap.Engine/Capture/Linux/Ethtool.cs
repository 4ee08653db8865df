using System;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Linux;

/// <summary>The SIOCETHTOOL queries libpcap makes: link state, offloads, time-stamping capabilities.</summary>
static unsafe class Ethtool
{
    const uint GLink = 0x0a, GTso = 0x1e, GUfo = 0x21, GGso = 0x23, GFlags = 0x25, GGro = 0x2b, GetTsInfo = 0x41;
    const uint FlagLro = 1 << 15;

    /// <summary>An ethtool_value query (cmd, data); -1 with errno on failure.</summary>
    static int Value(int fd, string device, uint command, out uint data, out int errno)
    {
        uint* value = stackalloc uint[2];
        value[0] = command;
        value[1] = 0;
        var ifr = new IfReq(device);
        ifr.SetData(value);
        int rc = ifr.Ioctl(fd, Libc.SIOCETHTOOL, out errno);
        data = value[1];
        return rc;
    }

    /// <summary>ETHTOOL_GLINK: 1 link up, 0 down, -1 with errno when the driver can't tell.</summary>
    public static int Link(int fd, string device, out int errno) =>
        Value(fd, device, GLink, out uint data, out errno) < 0 ? -1 : data != 0 ? 1 : 0;

    /// <summary>
    /// libpcap's iface_get_offload: true if any segmentation or receive offload is on, so frames can
    /// exceed the MTU (up to 64 KiB). A query the device refuses counts as off.
    /// </summary>
    public static bool AnyOffload(int fd, string device)
    {
        foreach (uint command in (ReadOnlySpan<uint>)[GTso, GUfo, GGso])
            if (Value(fd, device, command, out uint on, out _) == 0 && on != 0) return true;
        if (Value(fd, device, GFlags, out uint flags, out _) == 0 && (flags & FlagLro) != 0) return true;
        return Value(fd, device, GGro, out uint gro, out _) == 0 && gro != 0;
    }

    /// <summary>
    /// ETHTOOL_GET_TS_INFO (struct ethtool_ts_info, 44 bytes): the SOF_TIMESTAMPING_ capabilities and
    /// the hardware receive filters. Returns -1 with errno on failure.
    /// </summary>
    public static int TimestampInfo(int fd, string device, out uint soTimestamping, out uint rxFilters, out int errno)
    {
        uint* info = stackalloc uint[11];
        new System.Span<uint>(info, 11).Clear();
        info[0] = GetTsInfo;
        var ifr = new IfReq(device);
        ifr.SetData(info);
        int rc = ifr.Ioctl(fd, Libc.SIOCETHTOOL, out errno);
        soTimestamping = info[1];
        rxFilters = info[7];
        return rc;
    }
}
