// Reads a capture file and prints a summary: packets, bytes, time span, protocols and the busiest
// conversations. Usage: ReadSummary CAPTURE [FILTER]
using System;
using System.Collections.Generic;
using System.Linq;
using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: ReadSummary CAPTURE [FILTER]");
    return 2;
}

using var device = new CaptureFileReaderDevice(args[0]);
try
{
    device.Open();
    if (args.Length > 1)
        device.Filter = args[1]; // compiled by libpcap's pcap_compile, run on each packet
}
catch (PcapException e)
{
    Console.Error.WriteLine($"ReadSummary: {e.Message}");
    return 1;
}

long packets = 0, bytes = 0;
DateTime? first = null, last = null;
var protocols = new SortedDictionary<string, long>();
var conversations = new Dictionary<string, long>();

// GetNextPacket wraps pcap_next_ex; the data span points into libpcap's buffer until the next call.
while (device.GetNextPacket(out PacketCapture capture) == GetPacketStatus.PacketRead)
{
    RawCapture raw = capture.GetPacket();
    packets++;
    bytes += raw.PacketLength;
    first ??= raw.Timeval.Date;
    last = raw.Timeval.Date;

    Packet packet = Packet.ParsePacket(raw.LinkLayerType, raw.Data);
    string protocol = packet.Extract<TcpPacket>() != null ? "TCP"
        : packet.Extract<UdpPacket>() != null ? "UDP"
        : packet.Extract<IcmpV4Packet>() != null ? "ICMP"
        : packet.Extract<IcmpV6Packet>() != null ? "ICMPv6"
        : packet.Extract<ArpPacket>() != null ? "ARP"
        : packet.Extract<IPPacket>() != null ? "other IP"
        : "other";
    protocols[protocol] = protocols.GetValueOrDefault(protocol) + 1;

    if (packet.Extract<IPPacket>() is IPPacket ip)
    {
        string key = $"{ip.SourceAddress} -> {ip.DestinationAddress}";
        conversations[key] = conversations.GetValueOrDefault(key) + 1;
    }
}

Console.WriteLine($"file:      {args[0]} ({device.LinkType})");
Console.WriteLine($"library:   {Pcap.Version}");
Console.WriteLine($"packets:   {packets}");
Console.WriteLine($"bytes:     {bytes}");
if (first != null)
    Console.WriteLine($"time span: {first:u} .. {last:u} ({(last - first)!.Value.TotalSeconds:F6} s)");
foreach (var (protocol, count) in protocols)
    Console.WriteLine($"  {protocol,-9} {count}");
foreach (var (pair, count) in conversations.OrderByDescending(c => c.Value).ThenBy(c => c.Key).Take(5))
    Console.WriteLine($"  {pair}: {count}");
return 0;
