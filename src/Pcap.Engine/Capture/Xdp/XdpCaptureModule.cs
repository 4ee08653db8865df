using System;

namespace Pcap.Engine.Capture.Xdp;

/// <summary>The AF_XDP capture module: claims <c>xdp:</c> names, and every ordinary name under PCAP_XDP=1.</summary>
public sealed class XdpCaptureModule : CaptureModule
{
    public override bool Claims(string device) => XdpPortName.IsXdpName(device) || Mapped(device) != null;

    public override LiveHandle Create(string device) => new XdpHandle(device, Mapped(device) ?? device);

    static string? Mapped(string device) => XdpPortName.Mapped(device, Environment.GetEnvironmentVariable(XdpPortName.Variable));
}
