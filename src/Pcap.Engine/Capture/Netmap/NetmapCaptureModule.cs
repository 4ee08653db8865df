using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Netmap;

/// <summary>
/// The netmap capture module: claims <c>netmap:</c> and <c>vale</c> names, and ordinary names that
/// the environment maps onto netmap ports (README.md, "netmap"):
/// <c>PCAP_NETMAP_DEVICES="eth0=netmap:eth0*,eth1=netmap:eth1"</c> maps the names listed;
/// <c>PCAP_NETMAP=1</c> maps every other interface name NAME to <c>netmap:NAME*</c> (transparent mode).
/// With PCAP_FANOUT set too, a mapped name opens the first free hw ring pair instead (NetmapHandle).
/// </summary>
public sealed class NetmapCaptureModule : CaptureModule
{
    public override bool Claims(string device) => PortName.IsNetmapName(device) || Mapped(device) != null;

    public override LiveHandle Create(string device) =>
        Mapped(device) is { } port ? new NetmapHandle(device, port, mapped: true) : new NetmapHandle(device, device);

    /// <summary>libpcap answers pcap_lookupnet for netmap names without asking the kernel (a mapped ordinary name is still asked).</summary>
    public override bool HasNoNetwork(string device) => PortName.IsNetmapName(device);

    /// <summary>The netmap port an ordinary device name stands for under PCAP_NETMAP_DEVICES or PCAP_NETMAP, or null.</summary>
    public static string? Mapped(string device) =>
        Mapped(device, Environment.GetEnvironmentVariable("PCAP_NETMAP_DEVICES"), Environment.GetEnvironmentVariable("PCAP_NETMAP"));

    public static string? Mapped(string device, string? devices, string? all)
    {
        if (PortName.IsNetmapName(device)) return null;
        foreach (var entry in (devices ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = entry.IndexOf('=');
            if (eq > 0 && entry[..eq] == device) return entry[(eq + 1)..];
        }
        if (all == "1" && device != "any" && device.Length > 0 && device.IndexOfAny([':', '/', '*', '^', '{', '}', '@']) < 0)
            return PortName.NetmapPrefix + device + "*";
        return null;
    }

    /// <summary>
    /// With /dev/netmap present, every interface is listed once more as netmap:NAME, with the flags the
    /// platform module gave the interface (it lists first) or, failing that, its IFF_* flags.
    /// </summary>
    public override void FindAllDevices(List<Device> devices)
    {
        int fd = Libc.Open("/dev/netmap", Libc.O_RDWR | Libc.O_CLOEXEC);
        if (fd < 0) return;
        Libc.Close(fd);
        string[] names;
        try
        {
            names = Directory.GetFileSystemEntries("/sys/class/net");
        }
        catch (IOException)
        {
            return;
        }
        Array.Sort(names, StringComparer.Ordinal);
        foreach (var path in names)
        {
            string name = Path.GetFileName(path);
            var iface = devices.Find(d => d.Name == name);
            devices.Add(new Device(PortName.NetmapPrefix + name)
            {
                Description = $"netmap port on {name} (hw rings; netmap:{name}* forwards to and from the host stack)",
                Flags = iface?.Flags ?? DeviceFlags(path),
            });
        }
    }

    // PCAP_IF_LOOPBACK 1, PCAP_IF_UP 2, PCAP_IF_RUNNING 4 from the interface's IFF_* flags.
    static uint DeviceFlags(string path)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(path, "flags")).Trim();
            uint iff = uint.Parse(text.StartsWith("0x", StringComparison.Ordinal) ? text[2..] : text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return ((iff & 0x8) != 0 ? 1u : 0) | ((iff & 0x1) != 0 ? 2u : 0) | ((iff & 0x40) != 0 ? 4u : 0);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
