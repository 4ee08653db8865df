using System;
using System.Collections.Generic;

namespace Pcap.Engine.Capture;

/// <summary>
/// The capture modules in the order pcap_create asks them (libpcap's capture_source_types[]):
/// the first that claims a name creates its handle. Linux comes last and claims every name.
/// </summary>
public static class CaptureModules
{
    public static readonly IReadOnlyList<CaptureModule> All =
    [
        new Bluetooth.BluetoothCaptureModule(),
        new Usb.UsbCaptureModule(),
        new Netfilter.NetfilterCaptureModule(),
        new Netmap.NetmapCaptureModule(),
        new DBus.DBusCaptureModule(),
        new Xdp.XdpCaptureModule(),
        new Linux.LinuxCaptureModule(),
    ];

    /// <summary>pcap_create's choice: the first module claiming <paramref name="device"/>.</summary>
    public static CaptureModule For(string device)
    {
        foreach (var module in All)
            if (module.Claims(device))
                return module;
        throw new Handles.PcapException($"{device}: no capture module claims this device");
    }

    /// <summary>pcap_lookupnet's pseudo-devices (net 0, mask 0): names some module says have no network.</summary>
    public static bool HasNoNetwork(string device)
    {
        foreach (var module in All)
            if (module.HasNoNetwork(device))
                return true;
        return false;
    }

    /// <summary>
    /// pcap_findalldevs' list: every module adds its devices, then the list is ordered as libpcap's
    /// add_dev inserts them, by figure of merit, devices of equal merit in the order they came.
    /// </summary>
    public static List<Device> FindAllDevices()
    {
        // The platform module (last) lists first, as libpcap's pcap_platform_finddevs runs before the
        // other modules: a netmap port of equal merit then sorts after its interface, never first.
        var devices = new List<Device>();
        All[^1].FindAllDevices(devices);
        for (int i = 0; i < All.Count - 1; i++)
            All[i].FindAllDevices(devices);
        return Order(devices);
    }

    /// <summary>libpcap's add_dev order: by figure of merit, devices of equal merit as they came.</summary>
    internal static List<Device> Order(List<Device> devices)
    {
        var ordered = new List<Device>(devices.Count);
        foreach (var device in devices)
        {
            uint merit = FigureOfMerit(device);
            int at = ordered.FindIndex(d => merit < FigureOfMerit(d));
            ordered.Insert(at < 0 ? ordered.Count : at, device);
        }
        return ordered;
    }

    /// <summary>libpcap's get_figure_of_merit: lower sorts first.</summary>
    internal static uint FigureOfMerit(Device device)
    {
        const uint Loopback = 1, Up = 2, Running = 4, Wireless = 8, StatusMask = 0x30, Disconnected = 0x20;
        // Measured on Debian's libpcap 1.10.3: devices of equal flags stay in the order they were
        // found, whatever instance number ends their names (pcld1 before pcld0), and "any" comes
        // after the other up and running devices but before an up and running loopback.
        uint n = device.Name == "any" ? 0x0FFFFFFFu : 0;
        uint flags = device.Flags;
        if ((flags & Running) == 0) n |= 0x80000000;
        if ((flags & Up) == 0) n |= 0x40000000;
        if ((flags & Wireless) == 0 && (flags & StatusMask) == Disconnected) n |= 0x20000000;
        if ((flags & Loopback) != 0) n |= 0x10000000;
        return n;
    }
}
