using System;
using System.Collections.Generic;

namespace Pcap.Engine.Capture.DBus;

/// <summary>libpcap's D-Bus module (pcap-dbus.c): <c>dbus-system</c>, <c>dbus-session</c> and <c>dbus://ADDRESS</c>.</summary>
public sealed class DBusCaptureModule : CaptureModule
{
    public const string System = "dbus-system", Session = "dbus-session", AddressPrefix = "dbus://";
    const uint StatusNotApplicable = 0x30; // PCAP_IF_CONNECTION_STATUS_NOT_APPLICABLE

    public override bool Claims(string device) =>
        device == System || device == Session || device.StartsWith(AddressPrefix, StringComparison.Ordinal);

    public override LiveHandle Create(string device) => new DBusHandle(device);

    /// <summary>Both buses, always, as libpcap lists them (whether or not a bus is running).</summary>
    public override void FindAllDevices(List<Device> devices)
    {
        devices.Add(new Device(System) { Description = "D-Bus system bus", Flags = StatusNotApplicable });
        devices.Add(new Device(Session) { Description = "D-Bus session bus", Flags = StatusNotApplicable });
    }
}
