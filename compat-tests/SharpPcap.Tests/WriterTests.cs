using System;
using System.IO;
using System.Linq;
using PacketDotNet;
using SharpPcap.LibPcap;
using Xunit;

namespace SharpPcap.Tests;

/// <summary>CaptureFileWriterDevice over pcap_open_dead, pcap_dump_open(_append), pcap_dump.</summary>
public sealed class WriterTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("sharppcap-writer").FullName;
    public void Dispose() => Directory.Delete(dir, true);

    [Fact]
    public void WritesLibpcapsBytes()
    {
        var frames = Captures.Mixed(8);
        string path = Path.Combine(dir, "out.pcap");
        using (var writer = new CaptureFileWriterDevice(path))
        {
            writer.Open(new DeviceConfiguration { LinkLayerType = LinkLayers.Ethernet, Snaplen = 65535 });
            for (int i = 0; i < frames.Count; i++)
                writer.Write(new RawCapture(LinkLayers.Ethernet, new PosixTimeval((ulong)(1600000000 + i), (ulong)(1000 * i)), frames[i]));
        }
        Assert.Equal(Captures.Savefile(frames), File.ReadAllBytes(path));
    }

    [Fact]
    public void NanosecondResolutionWritesNanoMagic()
    {
        string path = Path.Combine(dir, "nano.pcap");
        using (var writer = new CaptureFileWriterDevice(path))
        {
            writer.Open(new DeviceConfiguration
            {
                LinkLayerType = LinkLayers.Ethernet,
                Snaplen = 65535,
                TimestampResolution = TimestampResolution.Nanosecond,
            });
            writer.Write(Captures.Udp(0));
        }
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0xa1b23c4du, BitConverter.ToUInt32(bytes, 0));
        Assert.Equal(24 + 16 + Captures.Udp(0).Length, bytes.Length);
    }

    [Fact]
    public void RoundTripThroughReader()
    {
        string path = Path.Combine(dir, "rt.pcap");
        var frames = Captures.Mixed(20);
        using (var writer = new CaptureFileWriterDevice(path))
        {
            writer.Open(new DeviceConfiguration { LinkLayerType = LinkLayers.Ethernet });
            foreach (var f in frames) writer.Write(f);
        }
        using var reader = new CaptureFileReaderDevice(path);
        reader.Open();
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.Equal(GetPacketStatus.PacketRead, reader.GetNextPacket(out PacketCapture e));
            var packet = e.GetPacket().GetPacket();
            Assert.Equal(frames[i], packet.Bytes);
            Assert.NotNull(packet.Extract<IPv4Packet>());
        }
        Assert.Equal(GetPacketStatus.NoRemainingPackets, reader.GetNextPacket(out _));
    }

    [Fact]
    public void AppendAddsToAnExistingFile()
    {
        string path = Path.Combine(dir, "app.pcap");
        var frames = Captures.Mixed(4);
        File.WriteAllBytes(path, Captures.Savefile(frames.Take(2).ToList()));
        using (var writer = new CaptureFileWriterDevice(path, FileMode.Append))
        {
            writer.Open(new DeviceConfiguration { LinkLayerType = LinkLayers.Ethernet, Snaplen = 65535 });
            for (int i = 2; i < 4; i++)
                writer.Write(new RawCapture(LinkLayers.Ethernet, new PosixTimeval((ulong)(1600000000 + i), (ulong)(1000 * i)), frames[i]));
        }
        Assert.Equal(Captures.Savefile(frames), File.ReadAllBytes(path));
    }

    [Fact]
    public void AppendToAnotherLinkTypeIsRefused()
    {
        string path = Path.Combine(dir, "raw.pcap");
        var original = Captures.Savefile(Captures.Mixed(1), linkType: 101);
        File.WriteAllBytes(path, original);
        using var writer = new CaptureFileWriterDevice(path, FileMode.Append);
        var e = Assert.ThrowsAny<Exception>(() => writer.Open(new DeviceConfiguration { LinkLayerType = LinkLayers.Ethernet, Snaplen = 65535 }));
        Assert.Contains($"{path}: different linktype, cannot append to file", e.Message);
        Assert.Equal(original, File.ReadAllBytes(path)); // nothing lost
    }

    [Fact]
    public void UnwritablePathThrowsLibpcapsText()
    {
        string path = Path.Combine(dir, "no", "such", "dir.pcap");
        using var writer = new CaptureFileWriterDevice(path);
        var e = Assert.ThrowsAny<Exception>(() => writer.Open(new DeviceConfiguration { LinkLayerType = LinkLayers.Ethernet }));
        Assert.Contains($"{path}: No such file or directory", e.Message);
    }

    [Fact]
    public void WriterHasNoStatistics()
    {
        using var writer = new CaptureFileWriterDevice(Path.Combine(dir, "s.pcap"));
        writer.Open(new DeviceConfiguration { LinkLayerType = LinkLayers.Ethernet });
        Assert.Null(writer.Statistics); // SharpPcap does not ask libpcap for a file's statistics
    }
}
