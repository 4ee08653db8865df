using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using PacketDotNet;
using SharpPcap.LibPcap;
using Xunit;

namespace SharpPcap.Tests;

/// <summary>
/// SharpPcap's live devices: device list, send, filter, capture and statistics (pcap_stats). The suite
/// script runs this project inside a network namespace of its own holding the veth pair named in
/// SHARPPCAP_VETH ("a,b"); nothing outside that namespace is touched.
/// </summary>
public class LiveTests
{
    static (string A, string B) Veth()
    {
        string? pair = Environment.GetEnvironmentVariable("SHARPPCAP_VETH");
        Assert.False(string.IsNullOrEmpty(pair), "run through compat-tests/suites/60-sharppcap.sh, which makes the veth pair");
        var names = pair!.Split(',');
        return (names[0], names[1]);
    }

    static byte[] Frame(int i)
    {
        var eth = new EthernetPacket(Captures.MacA, Captures.MacB, (EthernetType)0x88b5)
        {
            PayloadData = Enumerable.Range(0, 46).Select(j => (byte)(i + j)).ToArray(),
        };
        return eth.Bytes;
    }

    static LibPcapLiveDevice Device(string name) =>
        LibPcapLiveDeviceList.New().Single(d => d.Name == name);

    [Fact]
    public void DeviceListHasThePair()
    {
        var (a, b) = Veth();
        var names = LibPcapLiveDeviceList.New().Select(d => d.Name).ToList();
        Assert.Contains(a, names);
        Assert.Contains(b, names);
        Assert.Contains("any", names);
    }

    [Fact]
    public void SendFilterReceiveAndStatistics()
    {
        var (a, b) = Veth();
        using var rx = Device(a);
        using var tx = Device(b);
        rx.Open(new DeviceConfiguration { Mode = DeviceModes.Promiscuous, ReadTimeout = 100, Immediate = true });
        rx.Filter = "ether proto 0x88b5";
        tx.Open(new DeviceConfiguration { ReadTimeout = 100 });
        for (int i = 0; i < 10; i++)
            tx.SendPacket(Frame(i));

        var got = new List<EthernetPacket>();
        for (int tries = 0; got.Count < 10 && tries < 100; tries++)
            if (rx.GetNextPacket(out PacketCapture e) == GetPacketStatus.PacketRead)
                got.Add(e.GetPacket().GetPacket().Extract<EthernetPacket>());
        Assert.Equal(10, got.Count);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal((EthernetType)0x88b5, got[i].Type);
            Assert.Equal(Captures.MacA, got[i].SourceHardwareAddress);
            Assert.Equal((byte)i, got[i].PayloadData[0]);
        }

        var stats = rx.Statistics; // pcap_stats
        Assert.True(stats.ReceivedPackets >= 10, $"received {stats.ReceivedPackets}");
        Assert.Equal(0u, stats.DroppedPackets);
    }

    [Fact]
    public void StartAndStopCapture()
    {
        var (a, b) = Veth();
        using var rx = Device(a);
        using var tx = Device(b);
        rx.Open(new DeviceConfiguration { ReadTimeout = 100, Immediate = true });
        rx.Filter = "ether proto 0x88b5";
        tx.Open();
        int count = 0;
        using var arrived = new ManualResetEventSlim();
        rx.OnPacketArrival += (_, e) =>
        {
            if (Interlocked.Increment(ref count) == 5) arrived.Set();
        };
        rx.StartCapture(); // a thread in pcap_dispatch
        for (int i = 0; i < 5; i++)
            tx.SendPacket(Frame(i));
        Assert.True(arrived.Wait(TimeSpan.FromSeconds(20)), $"only {count} packets arrived");
        rx.StopCapture(); // pcap_breakloop from this thread; SharpPcap expects -2 back
        Assert.False(rx.Started);
        Assert.Equal(5, count);
    }
}
