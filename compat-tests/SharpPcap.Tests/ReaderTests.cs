using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PacketDotNet;
using SharpPcap.LibPcap;
using Xunit;

namespace SharpPcap.Tests;

/// <summary>CaptureFileReaderDevice over libpcap's savefile reader, packets checked with PacketDotNet.</summary>
public sealed class ReaderTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("sharppcap-reader").FullName;
    public void Dispose() => Directory.Delete(dir, true);

    string Write(byte[] bytes, string name = "in.pcap")
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    static List<RawCapture> ReadAll(ICaptureDevice device)
    {
        var packets = new List<RawCapture>();
        while (device.GetNextPacket(out PacketCapture e) == GetPacketStatus.PacketRead)
            packets.Add(e.GetPacket());
        return packets;
    }

    [Fact]
    public void ReadsEveryPacketWithTimestamps()
    {
        var frames = Captures.Mixed(10);
        using var device = new CaptureFileReaderDevice(Write(Captures.Savefile(frames)));
        device.Open();
        Assert.Equal(LinkLayers.Ethernet, device.LinkType);
        var packets = ReadAll(device);
        Assert.Equal(10, packets.Count);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(frames[i], packets[i].Data);
            Assert.Equal((ulong)(1600000000 + i), packets[i].Timeval.Seconds);
            Assert.Equal((ulong)(1000 * i), packets[i].Timeval.MicroSeconds);
            var ip = packets[i].GetPacket().Extract<IPv4Packet>();
            Assert.Equal("10.0.0.1", ip.SourceAddress.ToString());
            Assert.True(ip.ValidIPChecksum);
            if (i % 2 == 0)
                Assert.Equal(40000 + i, packets[i].GetPacket().Extract<UdpPacket>().SourcePort);
            else
                Assert.Equal((uint)(1000 * i), packets[i].GetPacket().Extract<TcpPacket>().SequenceNumber);
        }
        // End of file: no more packets, again and again.
        Assert.Equal(GetPacketStatus.NoRemainingPackets, device.GetNextPacket(out _));
        Assert.Equal(GetPacketStatus.NoRemainingPackets, device.GetNextPacket(out _));
    }

    [Fact]
    public void CaptureRaisesOnePacketArrivalPerPacket()
    {
        using var device = new CaptureFileReaderDevice(Write(Captures.Savefile(Captures.Mixed(25))));
        device.Open();
        var ports = new List<int>();
        device.OnPacketArrival += (_, e) =>
        {
            var packet = e.GetPacket().GetPacket();
            ports.Add(packet.Extract<UdpPacket>()?.SourcePort ?? packet.Extract<TcpPacket>().SourcePort);
        };
        device.Capture(); // pcap_loop to the end of the file
        Assert.Equal(Enumerable.Range(0, 25).Select(i => i % 2 == 0 ? 40000 + i : 50000 + i), ports);
    }

    [Fact]
    public void NanosecondFileReadAtNanosecondResolution()
    {
        var frames = Captures.Mixed(3);
        using var device = new CaptureFileReaderDevice(Write(Captures.Savefile(frames, nano: true)));
        device.Open(new DeviceConfiguration { TimestampResolution = TimestampResolution.Nanosecond });
        Assert.Equal(TimestampResolution.Nanosecond, device.TimestampResolution);
        var packets = ReadAll(device);
        Assert.Equal(3, packets.Count);
        Assert.Equal(2000m / 1_000_000_000m, packets[2].Timeval.Value - packets[2].Timeval.Seconds);
    }

    [Fact]
    public void NanosecondFileReadAtMicrosecondResolution()
    {
        using var device = new CaptureFileReaderDevice(Write(Captures.Savefile(Captures.Mixed(3), nano: true)));
        device.Open();
        var packets = ReadAll(device);
        Assert.Equal(2ul, packets[2].Timeval.MicroSeconds); // 2000 ns
    }

    [Fact]
    public void ReadsPcapng()
    {
        var frames = Captures.Mixed(6);
        using var device = new CaptureFileReaderDevice(Write(Captures.Pcapng(frames), "in.pcapng"));
        device.Open(new DeviceConfiguration { TimestampResolution = TimestampResolution.Nanosecond });
        Assert.Equal(LinkLayers.Ethernet, device.LinkType);
        var packets = ReadAll(device);
        Assert.Equal(6, packets.Count);
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(frames[i], packets[i].Data);
            Assert.Equal((ulong)(1600000000 + i), packets[i].Timeval.Seconds);
            Assert.Equal((1000m * i) / 1_000_000_000m, packets[i].Timeval.Value - packets[i].Timeval.Seconds);
        }
    }

    [Fact]
    public void PcapngCopiedToPcapByTheWriter()
    {
        var frames = Captures.Mixed(4);
        string output = Path.Combine(dir, "out.pcap");
        using (var reader = new CaptureFileReaderDevice(Write(Captures.Pcapng(frames), "in.pcapng")))
        using (var writer = new CaptureFileWriterDevice(output))
        {
            reader.Open();
            writer.Open(new DeviceConfiguration { LinkLayerType = reader.LinkType, Snaplen = 65535 });
            while (reader.GetNextPacket(out PacketCapture e) == GetPacketStatus.PacketRead)
                writer.Write(e.GetPacket());
        }
        // Micro resolution: 1000 * i ns became i us.
        var expected = Captures.Savefile(frames);
        for (int i = 0; i < frames.Count; i++)
        {
            int offset = 24 + Enumerable.Range(0, i).Sum(j => 16 + frames[j].Length) + 4;
            BitConverter.TryWriteBytes(expected.AsSpan(offset), (uint)i);
        }
        Assert.Equal(expected, File.ReadAllBytes(output));
    }

    [Fact]
    public void MissingFileThrowsLibpcapsError()
    {
        string path = Path.Combine(dir, "missing.pcap");
        using var device = new CaptureFileReaderDevice(path);
        var e = Assert.ThrowsAny<Exception>(() => device.Open());
        Assert.Contains($"{path}: No such file or directory", e.Message);
    }

    [Fact]
    public void GarbageFileThrowsUnknownFormat()
    {
        using var device = new CaptureFileReaderDevice(Write(new byte[100], "junk.pcap"));
        var e = Assert.ThrowsAny<Exception>(() => device.Open());
        Assert.Contains("unknown file format", e.Message);
    }

    [Fact]
    public void StatisticsAreNotOfferedOnFiles()
    {
        using var device = new CaptureFileReaderDevice(Write(Captures.Savefile(Captures.Mixed(2))));
        device.Open();
        ReadAll(device);
        Assert.Null(device.Statistics); // SharpPcap does not ask libpcap for a file's statistics
    }
}
