using System;

namespace Pcap.Engine.Capture.Xdp;

/// <summary>
/// <c>xdp:IF[@QUEUE]</c> (PF_RING's spelling): an AF_XDP socket on RX queue QUEUE (default 0) of
/// interface IF. <c>PCAP_XDP=1</c> maps every ordinary interface name NAME (not "any") to <c>xdp:NAME</c>.
/// </summary>
public sealed record XdpPortName(string Interface, uint Queue)
{
    public const string Prefix = "xdp:";
    public const string Variable = "PCAP_XDP";

    public static bool IsXdpName(string device) => device.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The xdp: name an ordinary device stands for under PCAP_XDP=1, or null.</summary>
    public static string? Mapped(string device, string? all) =>
        all == "1" && !IsXdpName(device) && device != "any" && device.Length > 0 && device.IndexOfAny([':', '@', '/']) < 0
            ? Prefix + device
            : null;

    /// <summary>Parses an xdp: name; null when it is not of that form (the text says why).</summary>
    public static XdpPortName? Parse(string name, out string error)
    {
        error = "";
        string rest = name[Prefix.Length..];
        uint queue = 0;
        int at = rest.IndexOf('@');
        if (at >= 0)
        {
            if (!uint.TryParse(rest[(at + 1)..], System.Globalization.NumberStyles.None, null, out queue))
            {
                error = $"xdp: \"{rest[(at + 1)..]}\" in {name} is not a queue number";
                return null;
            }
            rest = rest[..at];
        }
        if (rest.Length == 0 || rest.Length >= Interop.Libc.IFNAMSIZ)
        {
            error = $"xdp: {name} names no interface";
            return null;
        }
        return new XdpPortName(rest, queue);
    }
}
