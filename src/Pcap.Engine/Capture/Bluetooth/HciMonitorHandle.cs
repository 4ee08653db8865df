using System.Runtime.InteropServices;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Bluetooth;

/// <summary>
/// A capture on <c>bluetooth-monitor</c> (libpcap's pcap-bt-monitor-linux.c): an HCI socket bound to
/// the monitor channel, which sees every adapter's traffic and events; each message is delivered as
/// LINKTYPE_BLUETOOTH_LINUX_MONITOR (adapter and opcode in the pseudo-header), time-stamped by
/// SO_TIMESTAMP. pcap_stats answers zeros and pcap_setdirection and pcap_inject are refused, as
/// libpcap does. Differences: see <see cref="BluetoothSocketHandle"/>.
/// </summary>
public sealed unsafe class HciMonitorHandle(string device) : BluetoothSocketHandle(device)
{
    protected override int ControlSize => Hci.MonitorControlSize;

    public override int Activate()
    {
        if (RfmonOption) return PcapError.RfmonNotSup;
        int status = Open();
        if (status < 0) CloseModule();
        return status;
    }

    int Open()
    {
        Snapshot = SnapLengthToUse;
        LinkType = DltBluetoothLinuxMonitor;
        if (OpenSocket() < 0) return PcapError.Error;
        var address = new Hci.Address { Family = Hci.AfBluetooth, Device = Hci.DeviceNone, Channel = Hci.ChannelMonitor };
        if (Libc.Bind(Fd, &address, (uint)sizeof(Hci.Address)) < 0)
            return Fail("Can't attach to interface", Marshal.GetLastPInvokeError());
        int on = 1;
        if (Libc.SetSockOpt(Fd, Libc.SOL_SOCKET, Hci.SoTimestamp, &on, 4) < 0)
            return Fail("Can't enable time stamp", Marshal.GetLastPInvokeError());
        if (OpenWake() < 0) return PcapError.Error;
        Block->PsRecv = Block->PsDrop = Block->PsIfdrop = 0;
        Block->StatsSource = StatsSource.Counters; // never counted: libpcap's bt_monitor_stats answers zeros
        return 0;
    }

    protected override int Receive(ref PacketHeader header)
    {
        byte* monitorHeader = stackalloc byte[Hci.MonitorHeaderLength];
        var iov = stackalloc Libc.IoVec[2];
        iov[0] = new Libc.IoVec { Base = monitorHeader, Length = Hci.MonitorHeaderLength };
        iov[1] = new Libc.IoVec { Base = Packet + Hci.PseudoHeaderLength, Length = (nuint)Snapshot };
        var message = new Libc.MsgHdr { Iov = iov, IovLength = 2, Control = Buffer, ControlLength = (nuint)ControlSize };
        nint got = ReceiveMessage(&message);
        if (got < 0) return ReceiveFailed();
        HciPacket.ReadMonitorControl(Buffer, (int)message.ControlLength, ref header);
        HciPacket.WriteMonitorHeader(Packet, monitorHeader);
        header.CapLen = header.Len = (uint)(got - Hci.MonitorHeaderLength + Hci.PseudoHeaderLength);
        return 1;
    }

    /// <summary>libpcap has no setdirection_op here.</summary>
    protected override int SetDirectionOp(int direction)
    {
        Error = "Setting direction is not supported on this device";
        return PcapError.Error;
    }

    protected override int InjectOp(byte* frame, int length)
    {
        Error = "Packet injection is not supported yet on Bluetooth monitor devices";
        return PcapError.Error;
    }
}
