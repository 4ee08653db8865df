using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Pcap.Engine.Capture.Wireless;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Linux;

/// <summary>
/// A capture on an AF_PACKET socket with a memory-mapped ring, as libpcap 1.10's pcap-linux.c
/// sets it up: SOCK_RAW on a device (SOCK_DGRAM, cooked, on "any" and on devices without a
/// usable link-layer header), the ring created before the socket is bound so nothing is lost,
/// promiscuous mode by packet-socket membership, and the statistics read by the C shim.
/// </summary>
public sealed unsafe partial class PacketSocketHandle : LiveHandle
{
    const int ArphrdEther = 1, ArphrdLoopback = 772, ArphrdIeee80211 = 801, ArphrdIeee80211Prism = 802,
        ArphrdIeee80211Radiotap = 803, ArphrdNone = 0xfffe;
    const ushort EthPAll = 0x0003;

    int fd = -1;
    int ifindex = -1;
    bool cooked;
    int[] dataLinks = [];
    int vlanOffset = -1;
    MonitorInterface? monitor; // monitor mode: the interface captured on instead of the device
    readonly int[] timestampTypes;

    public PacketSocketHandle(string device) : base(device)
    {
        timestampTypes = ProbeTimestampTypes(device);
    }

    bool IsAny => Device == "any";

    public override int[] TimestampTypes => timestampTypes;
    public override TimestampPrecision[] Precisions => [TimestampPrecision.Micro, TimestampPrecision.Nano];
    public override int[]? DataLinks => dataLinks.Length == 0 ? null : dataLinks;
    public override int SelectableFd => fd;

    /// <summary>
    /// libpcap's iface_get_ts_types at pcap_create: host only unless the device time-stamps every
    /// received packet in hardware; all types when the driver can't be asked.
    /// </summary>
    static int[] ProbeTimestampTypes(string device)
    {
        if (device == "any") return [];
        int sock = Libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (sock < 0) return [];
        try
        {
            if (Ethtool.TimestampInfo(sock, device, out uint so, out uint rxFilters, out int errno) < 0)
                return errno is EOPNOTSUPP or EINVAL ? [0, 3, 4] : [];
            if ((rxFilters & (1u << 1)) == 0) return []; // HWTSTAMP_FILTER_ALL
            var types = new System.Collections.Generic.List<int>();
            if ((so & (1u << 4)) != 0) types.Add(0); // SOF_TIMESTAMPING_SOFTWARE: host
            if ((so & (1u << 5)) != 0) types.Add(3); // SYS_HARDWARE: adapter
            if ((so & (1u << 6)) != 0) types.Add(4); // RAW_HARDWARE: adapter_unsynced
            return [.. types];
        }
        finally
        {
            Libc.Close(sock);
        }
    }

    public override int CanSetRfmon()
    {
        if (IsAny) return 0;
        // As libpcap: a mac80211 device is taken to support monitor mode (nl80211 can't be asked).
        int status = MonitorInterface.IsMac80211(Device, out string error);
        if (status < 0) Error = error;
        return status;
    }

    public override int Activate()
    {
        // Codes libpcap sets no text for (PCAP_ERROR_IFACE_NOT_UP) leave the errbuf as it was.
        int status = ActivateSocket();
        if (status < 0) CloseModule();
        return status;
    }

    int ActivateSocket()
    {
        // A name that does not fit struct ifreq cannot be a device.
        if (Encoding.UTF8.GetByteCount(Device) >= Libc.IFNAMSIZ)
        {
            Error = "";
            return PcapError.NoSuchDevice;
        }
        if (!FanoutOption.TryParse(Environment.GetEnvironmentVariable(FanoutOption.Variable), out var fanout, out string fanoutError))
        {
            Error = fanoutError;
            return PcapError.Error;
        }
        Snapshot = SnapLengthOption <= 0 || SnapLengthOption > MaximumSnapLength ? MaximumSnapLength : SnapLengthOption;
        Precision = PrecisionOption;
        bool promisc = PromiscOption && !IsAny; // libpcap 1.10.3 drops promiscuous mode on "any" silently
        timeout = TimeoutOption;

        int status = SetupSocket(promisc);
        if (status < 0) return status;

        Block->WakeFd = Libc.EventFd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (Block->WakeFd < 0)
        {
            Error = Libc.ErrnoMessage("could not open eventfd", Marshal.GetLastPInvokeError());
            return PcapError.Error;
        }

        int ring = SetupRing();
        if (ring < 0) return ring;
        if (ring > 0) status = ring;

        int bound = BindTo(ifindex < 0 ? 0 : ifindex);
        if (bound != 0) return bound;
        if (fanout is { } group && JoinFanout(group) < 0) return PcapError.Error;

        SetPollTimeout();
        Block->StatsFd = fd;
        if (ifindex != -1 && !cooked) Block->InjectFd = fd;
        Block->Promisc = promisc ? 1 : 0;
        if (promisc) WriteInterfaceName();
        Block->StatsSource = StatsSource.PacketSocket;
        return status;
    }

    /// <summary>libpcap's setup_socket: the socket, its link type, promiscuous membership, aux data.</summary>
    int SetupSocket(bool promisc)
    {
        fd = Libc.Socket(Libc.AF_PACKET, (IsAny ? Libc.SOCK_DGRAM : Libc.SOCK_RAW) | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == EAFNOSUPPORT)
            {
                Error = "PF_PACKET sockets not supported - is this WSL1?";
                return PcapError.Error;
            }
            Error = Libc.ErrnoMessage("socket", errno);
            return errno is EPERM or EACCES ? PcapError.PermDenied : PcapError.Error;
        }

        if (IsAny)
        {
            cooked = true;
            LinkType = DltLinuxSll;
            dataLinks = [DltLinuxSll, DltLinuxSll2];
            ifindex = -1;
        }
        else
        {
            // Monitor mode first (libpcap's enter_rfmon_mode): it changes the device captured on and its link type.
            string captured = Device;
            if (RfmonOption)
            {
                int entered = MonitorInterface.Enter(Device, fd, out monitor, out string monitorError);
                if (entered == 0) return PcapError.RfmonNotSup;
                if (entered < 0)
                {
                    Error = monitorError;
                    return entered;
                }
                captured = monitor!.Name;
            }
            var ifr = new IfReq(captured);
            if (ifr.Ioctl(fd, Libc.SIOCGIFHWADDR, out int errno) < 0)
            {
                if (errno == ENODEV)
                {
                    Error = "";
                    return PcapError.NoSuchDevice;
                }
                Error = Libc.ErrnoMessage("SIOCGIFHWADDR", errno);
                return PcapError.Error;
            }
            int arptype = ifr.AddressFamily;
            switch (arptype)
            {
                case ArphrdEther:
                    LinkType = DltEn10Mb;
                    dataLinks = [DltEn10Mb, DltDocsis];
                    break;
                case ArphrdLoopback:
                    LinkType = DltEn10Mb;
                    break;
                case ArphrdNone:
                    LinkType = DltRaw;
                    break;
                case ArphrdIeee80211:
                    LinkType = DltIeee80211;
                    break;
                case ArphrdIeee80211Prism:
                    LinkType = DltPrismHeader;
                    break;
                case ArphrdIeee80211Radiotap:
                    LinkType = DltIeee80211Radio;
                    break;
                default:
                    // No link-layer header this module can pass on: capture cooked, as libpcap does.
                    Libc.Close(fd);
                    fd = Libc.Socket(Libc.AF_PACKET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
                    if (fd < 0)
                    {
                        Error = Libc.ErrnoMessage("socket", Marshal.GetLastPInvokeError());
                        return PcapError.Error;
                    }
                    cooked = true;
                    LinkType = DltLinuxSll;
                    dataLinks = [DltLinuxSll, DltLinuxSll2];
                    break;
            }
            var index = new IfReq(captured);
            if (index.Ioctl(fd, Libc.SIOCGIFINDEX, out errno) < 0)
            {
                Error = Libc.ErrnoMessage("SIOCGIFINDEX", errno);
                return PcapError.Error;
            }
            ifindex = index.Int;

            if (promisc)
            {
                // struct packet_mreq: ifindex, type, alen, address[8]; the kernel drops it on close.
                byte* mreq = stackalloc byte[16];
                new Span<byte>(mreq, 16).Clear();
                *(int*)mreq = ifindex;
                *(ushort*)(mreq + 4) = 1; // PACKET_MR_PROMISC
                if (Libc.SetSockOpt(fd, Libc.SOL_PACKET, Libc.PACKET_ADD_MEMBERSHIP, mreq, 16) < 0)
                {
                    Error = Libc.ErrnoMessage("setsockopt (PACKET_ADD_MEMBERSHIP)", Marshal.GetLastPInvokeError());
                    return PcapError.Error;
                }
            }
        }
        if (RfmonOption && IsAny) return PcapError.RfmonNotSup;

        int one = 1;
        if (Libc.SetSockOpt(fd, Libc.SOL_PACKET, Libc.PACKET_AUXDATA, &one, 4) < 0 &&
            Marshal.GetLastPInvokeError() != ENOPROTOOPT)
        {
            Error = Libc.ErrnoMessage("setsockopt (PACKET_AUXDATA)", Marshal.GetLastPInvokeError());
            return PcapError.Error;
        }

        SetVlanOffset();
        // Cooked captures always keep at least the SLL2 header and one byte of payload.
        if (cooked && Snapshot < Tpacket.Sll2HeaderLength + 1) Snapshot = Tpacket.Sll2HeaderLength + 1;

        if (PrecisionOption == TimestampPrecision.Nano &&
            Libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_TIMESTAMPNS, &one, 4) < 0)
        {
            Error = "setsockopt: unable to set SO_TIMESTAMPNS";
            return PcapError.Error;
        }
        return 0;
    }

    /// <summary>Where a VLAN tag the kernel took out goes back: before the type field.</summary>
    void SetVlanOffset() => vlanOffset = LinkType switch
    {
        DltEn10Mb => 12,
        DltLinuxSll => Tpacket.SllHeaderLength - 2,
        _ => -1,
    };

    protected override int ChangeDataLink(int dlt)
    {
        LinkType = dlt;
        SetVlanOffset();
        return 0;
    }

    /// <summary>Joins the PCAP_FANOUT group; the kernel takes it only once the socket is bound.</summary>
    int JoinFanout(FanoutOption group)
    {
        int value = group.SocketOptionValue;
        if (Libc.SetSockOpt(fd, Libc.SOL_PACKET, Libc.PACKET_FANOUT, &value, 4) == 0) return 0;
        // EINVAL: the group exists with another mode or flags (or on another device or protocol).
        Error = Libc.ErrnoMessage($"setsockopt (PACKET_FANOUT {FanoutOption.Variable} group {group.Id})", Marshal.GetLastPInvokeError());
        return -1;
    }

    /// <summary>libpcap's iface_bind: the protocol is set only now, after the ring exists.</summary>
    int BindTo(int index)
    {
        byte* sll = stackalloc byte[Tpacket.SockaddrLlLength];
        new Span<byte>(sll, Tpacket.SockaddrLlLength).Clear();
        *(ushort*)sll = Libc.AF_PACKET;
        ushort protocol = ProtocolOption == 0 ? EthPAll : (ushort)ProtocolOption;
        *(ushort*)(sll + Tpacket.SllProtocol) = (ushort)((protocol >> 8) | (protocol << 8));
        *(int*)(sll + Tpacket.SllIfindex) = index;
        if (Libc.Bind(fd, sll, Tpacket.SockaddrLlLength) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == ENETDOWN) return PcapError.IfaceNotUp;
            if (errno == ENODEV)
            {
                Error = "";
                return PcapError.NoSuchDevice;
            }
            Error = Libc.ErrnoMessage("bind", errno);
            return PcapError.Error;
        }
        int err = 0;
        uint length = 4;
        if (Libc.GetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_ERROR, &err, &length) < 0)
        {
            Error = Libc.ErrnoMessage("getsockopt (SO_ERROR)", Marshal.GetLastPInvokeError());
            return PcapError.Error;
        }
        if (err == ENETDOWN) return PcapError.IfaceNotUp;
        if (err > 0)
        {
            Error = Libc.ErrnoMessage("bind", err);
            return PcapError.Error;
        }
        return 0;
    }

    /// <summary>The device name for the shim's /sys/class/net/&lt;if&gt;/statistics reads, and its baseline.</summary>
    void WriteInterfaceName()
    {
        var name = Encoding.UTF8.GetBytes(Device);
        int n = Math.Min(name.Length, 31);
        for (int i = 0; i < n; i++) Block->IfName[i] = name[i];
        Block->IfName[n] = 0;
        Block->IfdropBase = (ulong)(InterfaceStatistic("rx_missed_errors") + InterfaceStatistic("rx_fifo_errors"));
    }

    long InterfaceStatistic(string name)
    {
        try
        {
            return long.TryParse(File.ReadAllText($"/sys/class/net/{Device}/statistics/{name}").Trim(), out long v) ? v : 0;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    protected override int SetDirectionOp(int direction)
    {
        if (direction is < 0 or > 2)
        {
            Error = "Invalid direction";
            return PcapError.Error;
        }
        Direction = direction;
        return 0;
    }

    /// <summary>
    /// Only the refusals come here: on a device with a link-layer header, pcap_inject sends each frame
    /// itself, in C, on <see cref="HandleBlock.InjectFd"/> (native-build/shim/pcap-inject.c).
    /// </summary>
    protected override int InjectOp(byte* frame, int length)
    {
        Error = ifindex == -1 ? "Sending packets isn't supported on the \"any\" device" : "Sending packets isn't supported in cooked mode";
        return PcapError.Error;
    }

    protected override int SetNonblockOp(bool nonblock)
    {
        int flags = Libc.Fcntl(fd, Libc.F_GETFL, 0);
        if (flags < 0)
        {
            Error = Libc.ErrnoMessage("F_GETFL", Marshal.GetLastPInvokeError());
            return PcapError.Error;
        }
        flags = nonblock ? flags | Libc.O_NONBLOCK : flags & ~Libc.O_NONBLOCK;
        if (Libc.Fcntl(fd, Libc.F_SETFL, flags) < 0)
        {
            Error = Libc.ErrnoMessage("F_SETFL", Marshal.GetLastPInvokeError());
            return PcapError.Error;
        }
        // The timeout is kept negated in non-blocking mode so the blocking one comes back unchanged.
        if (nonblock && timeout >= 0) timeout = ~timeout;
        if (!nonblock && timeout < 0) timeout = ~timeout;
        Nonblock = nonblock;
        SetPollTimeout();
        return 0;
    }

    protected override int GetNonblockOp() => timeout < 0 ? 1 : 0;

    protected override void CloseModule()
    {
        DestroyRing();
        if (fd >= 0) Libc.Close(fd);
        fd = -1;
        Block->StatsFd = -1;
        Block->InjectFd = -1;
        if (Block->WakeFd >= 0) Libc.Close(Block->WakeFd);
        Block->WakeFd = -1;
        if (Block->StatsSource == StatsSource.PacketSocket) Block->StatsSource = StatsSource.NotActivated;
        if (monitor != null && !monitor.Remove(out string error)) monitor.ReportNotRemoved(error);
        monitor = null;
    }
}
