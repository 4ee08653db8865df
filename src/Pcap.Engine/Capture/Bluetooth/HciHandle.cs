using System.Runtime.InteropServices;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Bluetooth;

/// <summary>
/// A capture on a Bluetooth adapter (libpcap's pcap-bt-linux.c): an HCI raw socket bound to the adapter (device bluetoothN is hciN) with
/// every packet type and event let through, the direction and time stamp asked for in control
/// messages; each packet is delivered as LINKTYPE_BLUETOOTH_HCI_H4_WITH_PHDR (the direction in the
/// pseudo-header). pcap_setdirection drops the other direction; filters run in user space; pcap_stats
/// reads the adapter's counters (HCIGETDEVINFO, in C: the shim's pcap-stats-bluetooth.c); pcap_inject
/// is refused as libpcap 1.10 does. Differences: see <see cref="BluetoothSocketHandle"/>.
/// </summary>
public sealed unsafe class HciHandle(string device) : BluetoothSocketHandle(device)
{
    protected override int ControlSize => Hci.HciControlSize;

    public override int Activate()
    {
        if (!DeviceNumber.Scan(Device, Hci.Prefix, out int id))
        {
            Error = $"Can't get Bluetooth device index from {Device}";
            return PcapError.Error;
        }
        int status = Open(id);
        if (status < 0) CloseModule();
        return status;
    }

    int Open(int id)
    {
        Snapshot = SnapLengthToUse;
        LinkType = DltBluetoothHciH4WithPhdr;
        if (OpenSocket() < 0) return PcapError.Error;
        int on = 1;
        if (Libc.SetSockOpt(Fd, Hci.SolHci, Hci.DataDirection, &on, 4) < 0)
            return Fail("Can't enable data direction info", Marshal.GetLastPInvokeError());
        if (Libc.SetSockOpt(Fd, Hci.SolHci, Hci.TimeStamp, &on, 4) < 0)
            return Fail("Can't enable time stamp", Marshal.GetLastPInvokeError());
        // struct hci_filter: every packet type, every event, no opcode.
        byte* filter = stackalloc byte[16];
        new System.Span<byte>(filter, 16).Clear();
        new System.Span<byte>(filter, 12).Fill(0xff);
        if (Libc.SetSockOpt(Fd, Hci.SolHci, Hci.Filter, filter, 16) < 0)
            return Fail("Can't set filter", Marshal.GetLastPInvokeError());
        var address = new Hci.Address { Family = Hci.AfBluetooth, Device = (ushort)id, Channel = Hci.ChannelRaw };
        if (Libc.Bind(Fd, &address, (uint)sizeof(Hci.Address)) < 0)
            return Fail($"Can't attach to device {id}", Marshal.GetLastPInvokeError());
        if (RfmonOption) return PcapError.RfmonNotSup;
        if (BufferSizeOption != 0)
        {
            int size = BufferSizeOption;
            // libpcap passes errno and the buffer size to its formatter the wrong way round: its text names error 256.
            if (Libc.SetSockOpt(Fd, Libc.SOL_SOCKET, Hci.SoRcvbuf, &size, 4) < 0)
                return Fail("SO_RCVBUF", 256);
        }
        if (OpenWake() < 0) return PcapError.Error;
        Block->StatsFd = Fd;
        Block->IfdropBase = (ulong)(ushort)id;
        Block->StatsSource = StatsSource.Bluetooth;
        return 0;
    }

    protected override int Receive(ref PacketHeader header)
    {
        var iov = new Libc.IoVec { Base = Packet + Hci.PseudoHeaderLength, Length = (nuint)Snapshot };
        var message = new Libc.MsgHdr { Iov = &iov, IovLength = 1, Control = Buffer, ControlLength = (nuint)ControlSize };
        nint got = ReceiveMessage(&message);
        if (got < 0) return ReceiveFailed();
        HciPacket.ReadHciControl(Buffer, (int)message.ControlLength, out bool incoming, ref header);
        if ((Direction == 1 && !incoming) || (Direction == 2 && incoming)) return 0; // PCAP_D_IN, PCAP_D_OUT
        HciPacket.WriteH4Header(Packet, incoming);
        header.CapLen = header.Len = (uint)got + Hci.PseudoHeaderLength;
        return 1;
    }

    protected override int InjectOp(byte* frame, int length)
    {
        Error = "Packet injection is not supported on Bluetooth devices";
        return PcapError.Error;
    }
}
