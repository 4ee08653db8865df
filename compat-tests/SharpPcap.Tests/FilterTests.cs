using System;
using System.Collections.Generic;
using System.IO;
using PacketDotNet;
using SharpPcap.LibPcap;
using Xunit;

namespace SharpPcap.Tests;

/// <summary>SharpPcap's filter API: pcap_compile and pcap_setfilter on a savefile, pcap_offline_filter via CheckFilter.</summary>
public sealed class FilterTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("sharppcap-filter").FullName;
    public void Dispose() => Directory.Delete(dir, true);

    CaptureFileReaderDevice Open(int count)
    {
        string path = Path.Combine(dir, "in.pcap");
        File.WriteAllBytes(path, Captures.Savefile(Captures.Mixed(count)));
        var device = new CaptureFileReaderDevice(path);
        device.Open();
        return device;
    }

    static List<Packet> ReadAll(ICaptureDevice device)
    {
        var packets = new List<Packet>();
        while (device.GetNextPacket(out PacketCapture e) == GetPacketStatus.PacketRead)
            packets.Add(e.GetPacket().GetPacket());
        return packets;
    }

    [Fact]
    public void EmptyFilterAcceptsEverything()
    {
        using var device = Open(6);
        device.Filter = "";
        Assert.Equal(6, ReadAll(device).Count);
    }

    [Fact]
    public void UdpFilterKeepsOnlyUdp()
    {
        using var device = Open(10);
        device.Filter = "udp port 53";
        Assert.Equal("udp port 53", device.Filter);
        var packets = ReadAll(device);
        Assert.Equal(5, packets.Count);
        Assert.All(packets, p => Assert.Equal(53, p.Extract<UdpPacket>().DestinationPort));
    }

    [Fact]
    public void TcpSynFilter()
    {
        using var device = Open(10);
        device.Filter = "tcp[tcpflags] & tcp-syn != 0 and dst port 80";
        var packets = ReadAll(device);
        Assert.Equal(5, packets.Count);
        Assert.All(packets, p => Assert.True(p.Extract<TcpPacket>().Synchronize));
    }

    [Fact]
    public void CaptureHonoursTheFilter()
    {
        using var device = Open(9);
        device.Filter = "tcp";
        int count = 0;
        device.OnPacketArrival += (_, e) => count++;
        device.Capture();
        Assert.Equal(4, count);
    }

    [Fact]
    public void BadFilterThrowsLibpcapsText()
    {
        using var device = Open(1);
        var e = Assert.ThrowsAny<Exception>(() => device.Filter = "udp and");
        Assert.Contains("syntax error", e.Message);
    }

    [Fact]
    public void CheckFilterReportsSyntax()
    {
        Assert.True(PcapDevice.CheckFilter("ip and tcp", out string? ok));
        Assert.False(PcapDevice.CheckFilter("ip and and", out string? bad));
        Assert.Contains("syntax error", bad);
    }
}
