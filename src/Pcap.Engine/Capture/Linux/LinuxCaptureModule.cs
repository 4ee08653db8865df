using System.Collections.Generic;

namespace Pcap.Engine.Capture.Linux;

/// <summary>The AF_PACKET capture module: every name no other module claims, "any" included.</summary>
public sealed class LinuxCaptureModule : CaptureModule
{
    public override bool Claims(string device) => true;

    public override LiveHandle Create(string device) => new PacketSocketHandle(device);

    /// <summary>libpcap's pcap_lookupnet list: "any", and names containing "bluetooth" or "usbmon".</summary>
    public override bool HasNoNetwork(string device) =>
        device == "any" || device.Contains("bluetooth", System.StringComparison.Ordinal) || device.Contains("usbmon", System.StringComparison.Ordinal);

    public override void FindAllDevices(List<Device> devices) => LinuxDevices.Find(devices);
}
