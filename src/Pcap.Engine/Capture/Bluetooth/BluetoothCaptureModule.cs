using System.Collections.Generic;
using System.Runtime.InteropServices;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Bluetooth;

/// <summary>
/// libpcap's two Bluetooth modules: <c>bluetoothN</c> (pcap-bt-linux.c) and <c>bluetooth-monitor</c>
/// (pcap-bt-monitor-linux.c), listed in that order, as libpcap's capture_source_types has them.
/// </summary>
public sealed unsafe class BluetoothCaptureModule : CaptureModule
{
    const uint PcapIfWireless = 8, StatusNotApplicable = 0x30;

    public override bool Claims(string device) =>
        DeviceNumber.Claims(device, Hci.Prefix) || DeviceNumber.Tail(device) == Hci.MonitorName;

    public override LiveHandle Create(string device) =>
        DeviceNumber.Tail(device) == Hci.MonitorName ? new HciMonitorHandle(device) : new HciHandle(device);

    /// <summary>
    /// libpcap's bt_findalldevs (the adapters HCIGETDEVLIST names, nothing where the kernel has no
    /// Bluetooth), then bt_monitor_findalldevs (always). libpcap fails pcap_findalldevs when the socket
    /// fails otherwise; here such a kernel lists no adapter.
    /// </summary>
    public override void FindAllDevices(List<Device> devices)
    {
        int sock = Libc.Socket(Hci.AfBluetooth, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Hci.ProtoHci);
        if (sock >= 0)
        {
            // struct hci_dev_list_req: dev_num, then struct hci_dev_req { u16 dev_id; u32 dev_opt; } each.
            const int Size = 4 + Hci.MaxDevices * 8;
            byte* list = stackalloc byte[Size];
            new System.Span<byte>(list, Size).Clear();
            *(ushort*)list = Hci.MaxDevices;
            if (Libc.Ioctl(sock, Hci.IoctlGetDeviceList, list) >= 0)
            {
                int count = *(ushort*)list;
                for (int i = 0; i < count && i < Hci.MaxDevices; i++)
                {
                    ushort id = *(ushort*)(list + 4 + i * 8);
                    devices.Add(new Device($"{Hci.Prefix}{id}") { Description = $"Bluetooth adapter number {i}", Flags = PcapIfWireless });
                }
            }
            Libc.Close(sock);
        }
        devices.Add(new Device(Hci.MonitorName) { Description = "Bluetooth Linux Monitor", Flags = PcapIfWireless | StatusNotApplicable });
    }
}
