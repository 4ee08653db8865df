namespace Pcap.Engine.Capture.Bluetooth;

/// <summary>The kernel's HCI socket interface (include/net/bluetooth/hci.h, hci_sock.h) as libpcap's Bluetooth modules use it.</summary>
static class Hci
{
    public const string Prefix = "bluetooth", MonitorName = "bluetooth-monitor";
    public const int AfBluetooth = 31, ProtoHci = 1, SolHci = 0;
    public const int DataDirection = 1, Filter = 2, TimeStamp = 3;      // HCI socket options
    public const int CmsgDirection = 1, CmsgTimeStamp = 2;               // HCI_CMSG_DIR, HCI_CMSG_TSTAMP
    public const ushort ChannelRaw = 0, ChannelMonitor = 2, DeviceNone = 0xffff;
    public const nuint IoctlGetDeviceList = 0x800448D2;                  // HCIGETDEVLIST, _IOR('H', 210, int)
    public const int MaxDevices = 16;                                    // HCI_MAX_DEV
    public const int SoRcvbuf = 8, SoTimestamp = 29;                     // SO_RCVBUF; SO_TIMESTAMP = SCM_TIMESTAMP

    /// <summary>libpcap's control buffer sizes: BT_CTRL_SIZE (hciN) and BT_CONTROL_SIZE (the monitor).</summary>
    public const int HciControlSize = 128, MonitorControlSize = 32;

    /// <summary>The pseudo-header before each packet: pcap_bluetooth_h4_header and pcap_bluetooth_linux_monitor_header.</summary>
    public const int PseudoHeaderLength = 4;

    /// <summary>struct hci_mon_hdr, before each message of the monitor channel: opcode, index, length (host order).</summary>
    public const int MonitorHeaderLength = 6;

    /// <summary>struct sockaddr_hci: family, device, channel.</summary>
    public struct Address
    {
        public ushort Family, Device, Channel;
    }
}
