using System;
using System.Collections.Generic;
using Pcap.Engine.Handles;
using Xunit;

namespace Pcap.Engine.Tests;

/// <summary>
/// The pcapng reader against libpcap 1.10.3's behaviour: the expected texts and values were checked
/// against the system libpcap with compat-tests/savefile/sfread on the same bytes.
/// </summary>
public class SavefilePcapngTests
{
    static readonly byte[] Data = SavefileTestFile.Pattern(60);
    static readonly byte[] EndOfOptions = Option(0, []);

    static byte[] Block(uint type, byte[] body, bool be = false, uint? length = null, uint? trailer = null)
    {
        int padded = (body.Length + 3) / 4 * 4;
        uint n = (uint)(12 + padded);
        var b = new byte[n];
        SavefileTestFile.Put32(b, 0, type, be);
        SavefileTestFile.Put32(b, 4, length ?? n, be);
        body.CopyTo(b, 8);
        SavefileTestFile.Put32(b, (int)n - 4, trailer ?? n, be);
        return b;
    }

    static byte[] Shb(bool be = false, ushort major = 1, ushort minor = 0)
    {
        var body = new byte[16];
        SavefileTestFile.Put32(body, 0, 0x1A2B3C4D, be);
        SavefileTestFile.Put16(body, 4, major, be);
        SavefileTestFile.Put16(body, 6, minor, be);
        SavefileTestFile.Put32(body, 8, 0xffffffff, be);
        SavefileTestFile.Put32(body, 12, 0xffffffff, be);
        return Block(0x0A0D0D0A, body, be);
    }

    static byte[] Option(ushort code, byte[] value, bool be = false)
    {
        var b = new byte[4 + (value.Length + 3) / 4 * 4];
        SavefileTestFile.Put16(b, 0, code, be);
        SavefileTestFile.Put16(b, 2, (ushort)value.Length, be);
        value.CopyTo(b, 4);
        return b;
    }

    static byte[] Idb(ushort linkType = 1, uint snap = 65535, byte[]? options = null, bool be = false)
    {
        var fixedPart = new byte[8];
        SavefileTestFile.Put16(fixedPart, 0, linkType, be);
        SavefileTestFile.Put32(fixedPart, 4, snap, be);
        return Block(1, SavefileTestFile.Concat(fixedPart, options ?? []), be);
    }

    static byte[] Epb(uint interfaceId, ulong t, byte[] data, bool be = false, uint? caplen = null)
    {
        var f = new byte[20];
        SavefileTestFile.Put32(f, 0, interfaceId, be);
        SavefileTestFile.Put32(f, 4, (uint)(t >> 32), be);
        SavefileTestFile.Put32(f, 8, (uint)t, be);
        SavefileTestFile.Put32(f, 12, caplen ?? (uint)data.Length, be);
        SavefileTestFile.Put32(f, 16, (uint)data.Length, be);
        return Block(6, SavefileTestFile.Concat(f, data), be);
    }

    static byte[] Spb(byte[] data, uint? len = null, bool be = false)
    {
        var f = new byte[4];
        SavefileTestFile.Put32(f, 0, len ?? (uint)data.Length, be);
        return Block(3, SavefileTestFile.Concat(f, data), be);
    }

    static byte[] Pb(ushort interfaceId, ulong t, byte[] data)
    {
        var f = new byte[20];
        SavefileTestFile.Put16(f, 0, interfaceId, false);
        SavefileTestFile.Put32(f, 4, (uint)(t >> 32), false);
        SavefileTestFile.Put32(f, 8, (uint)t, false);
        SavefileTestFile.Put32(f, 12, (uint)data.Length, false);
        SavefileTestFile.Put32(f, 16, (uint)data.Length, false);
        return Block(2, SavefileTestFile.Concat(f, data));
    }

    static byte[] Le64(long v) => BitConverter.GetBytes(v);

    static byte[] Be64(long v)
    {
        var b = BitConverter.GetBytes(v);
        Array.Reverse(b);
        return b;
    }

    [Fact]
    public void ReadsEveryPacketBlockKindAcrossSectionsAndSkipsUnknownBlocks()
    {
        var file = SavefileTestFile.Concat(
            Shb(), Idb(options: SavefileTestFile.Concat(Option(9, [9]), Option(14, Le64(100)), EndOfOptions)),
            Epb(0, 1500000000123456789, Data), Block(0x99, [1, 2, 3, 4]), Spb(Data), Pb(0, 1500000000123456789, Data),
            Shb(), Idb(options: SavefileTestFile.Concat(Option(9, [0x94]), EndOfOptions)), Epb(0, (1700000000UL << 20) + (1UL << 19), Data));
        var (packets, status, _) = SavefileTestFile.ReadAll(file);
        Assert.Equal(0, status);
        Assert.Equal(
            new (long, long)[] { (1500000100, 123456), (100, 0), (1500000100, 123456), (1700000000, 500000) },
            packets.ConvertAll(p => (p.Seconds, p.Fraction)).ToArray());
        Assert.All(packets, p => Assert.Equal(Data, p.Data));
    }

    [Fact]
    public void ReadsBigEndianSectionsWithTheirResolutionAndNegativeOffset()
    {
        var file = SavefileTestFile.Concat(
            Shb(be: true), Idb(be: true, options: SavefileTestFile.Concat(Option(9, [3], true), Option(14, Be64(-5), true))),
            Epb(0, 1500000000123, Data, be: true), Spb(Data, be: true), Spb(Data, be: true, len: 100));
        using var handle = SavefileTestFile.Open(file, precision: 1);
        Assert.True(handle.Swapped);
        var (packets, status, error) = SavefileTestFile.ReadAll(handle);
        Assert.Equal((1499999995L, 123000000L), (packets[0].Seconds, packets[0].Fraction));
        Assert.Equal((-5L, 0L), (packets[1].Seconds, packets[1].Fraction));
        // A simple packet's captured length is its length cut to the snapshot length, so 100 bytes are missing here.
        Assert.Equal(PcapError.Error, status);
        Assert.Equal("block of type 3 in pcapng dump file is too short", error);
    }

    [Fact]
    public void TakesVersion1Point2AndZeroLengthPacketsAndSnapshotZero()
    {
        using var handle = SavefileTestFile.Open(SavefileTestFile.Concat(Shb(minor: 2), Idb(snap: 0), Epb(0, 7, [])));
        Assert.Equal((1, 2), (handle.MajorVersion, handle.MinorVersion));
        Assert.Equal(262144, handle.Snapshot);
        var (packets, status, _) = SavefileTestFile.ReadAll(handle);
        Assert.Equal(0, status);
        Assert.Equal(0u, Assert.Single(packets).CapLen);
    }

    public static IEnumerable<object[]> OpenRefusals() => new[]
    {
        new object[] { SavefileTestFile.Concat(Shb(), Epb(0, 1, Data)), "the capture file has a packet block before any Interface Description Blocks" },
        new object[] { SavefileTestFile.Concat(Shb(), Block(0x99, [])), "the capture file has no Interface Description Blocks" },
        new object[] { Shb(major: 2), "unsupported pcapng savefile version 2.0" },
        new object[] { Shb()[..20], "truncated pcapng dump file; tried to read 16 bytes, only got 8" },
        new object[] { SavefileTestFile.Concat(new byte[] { 10, 13, 13, 10, 20, 0, 0, 0, 0x4D, 0x3C, 0x2B, 0x1A }, new byte[20]),
            "Section Header Block in pcapng dump file has invalid length 28 < _20_ < 1048576 (BT_SHB_INSANE_MAX)" },
        new object[] { SavefileTestFile.Concat(new byte[] { 10, 13, 13, 10, 0x80, 0x84, 0x1e, 0, 0x4D, 0x3C, 0x2B, 0x1A }, new byte[20]),
            "Section Header Block in pcapng dump file has invalid length 28 < _2000000_ < 1048576 (BT_SHB_INSANE_MAX)" },
        new object[] { "\n\r\r\nhello world"u8.ToArray(), "unknown file format" },
        new object[] { new byte[] { 10, 13, 13, 10, 0, 0, 0, 0 }, "unknown file format" },
        new object[] { SavefileTestFile.Concat(Shb(), Idb(options: Option(9, [6, 6]))), "Interface Description Block has if_tsresol option with length 2 != 1" },
        new object[] { SavefileTestFile.Concat(Shb(), Idb(options: SavefileTestFile.Concat(Option(9, [6]), Option(9, [6])))), "Interface Description Block has more than one if_tsresol option" },
        new object[] { SavefileTestFile.Concat(Shb(), Idb(options: Option(9, [20]))), "Interface Description Block if_tsresol option resolution 10^-20 is too high" },
        new object[] { SavefileTestFile.Concat(Shb(), Idb(options: Option(9, [0xc0]))), "Interface Description Block if_tsresol option resolution 2^-64 is too high" },
        new object[] { SavefileTestFile.Concat(Shb(), Idb(options: Option(14, [1]))), "Interface Description Block has if_tsoffset option with length 1 != 8" },
        new object[] { SavefileTestFile.Concat(Shb(), Idb(options: Option(0, [1]))), "Interface Description Block has opt_endofopt option with length 1 != 0" },
        new object[] { SavefileTestFile.Concat(Shb(), Idb(options: new byte[] { 2, 0, 40, 0 })), "block of type 1 in pcapng dump file is too short" },
        new object[] { SavefileTestFile.Concat(Shb(), Block(1, [1, 0])), "block of type 1 in pcapng dump file is too short" },
    };

    [Theory]
    [MemberData(nameof(OpenRefusals))]
    public void RefusesWhatLibpcapRefusesAtOpen(byte[] file, string error)
    {
        Assert.Equal(error, SavefileTestFile.OpenError(file));
    }

    static byte[] Raw(params uint[] words)
    {
        var b = new byte[words.Length * 4];
        for (int i = 0; i < words.Length; i++) SavefileTestFile.Put32(b, i * 4, words[i], false);
        return b;
    }

    public static IEnumerable<object[]> ReadRefusals() => new[]
    {
        new object[] { SavefileTestFile.Concat(Shb(), Idb(), Epb(0, 1, Data), Idb(linkType: 105), Epb(1, 1, Data)), 1, "an interface has a type 105 different from the type of the first interface" },
        // libpcap compares the raw LINKTYPE_ value with the first interface's DLT_ value (LINKTYPE_ATM_RFC1483 is DLT 11).
        new object[] { SavefileTestFile.Concat(Shb(), Idb(linkType: 100), Epb(0, 1, Data), Idb(linkType: 100), Epb(1, 1, Data)), 1, "an interface has a type 100 different from the type of the first interface" },
        new object[] { SavefileTestFile.Concat(Shb(), Idb(), Epb(0, 1, Data), Idb(snap: 100), Epb(1, 1, Data)), 1, "an interface has a snapshot length 100 different from the snapshot length of the first interface" },
        new object[] { SavefileTestFile.Concat(Shb(), Idb(), Raw(6, 8)), 0, "block in pcapng dump file has a length of 8 < 12" },
        new object[] { SavefileTestFile.Concat(Shb(), Idb(), Raw(6, 14), new byte[6]), 0, "block in pcapng dump file has a length of 14 that is not a multiple of 4" },
        new object[] { SavefileTestFile.Concat(Shb(), Idb(), Raw(6, 0xfffffffc), new byte[100]), 0, "pcapng block size 4294967292 > maximum 16777216" },
        new object[] { SavefileTestFile.Concat(Shb(), Idb(), Raw(6, 400000), new byte[100]), 0, "truncated pcapng dump file; tried to read 399992 bytes, only got 100" },
        new object[] { SavefileTestFile.Concat(Shb(), Idb(), Block(6, SavefileTestFile.Concat(Raw(0, 0, 0, 4, 4), new byte[4]), trailer: 99)), 0, "block total length in header and trailer don't match" },
        new object[] { SavefileTestFile.Concat(Shb(), Idb(), Epb(0, 1, Data), Epb(0, 1, Data)[..50]), 1, "truncated pcapng dump file; tried to read 84 bytes, only got 42" },
        new object[] { SavefileTestFile.Concat(Shb(), Idb(), Epb(0, 1, Data), new byte[] { 6, 0, 0 }), 1, "truncated pcapng dump file; tried to read 8 bytes, only got 3" },
        new object[] { SavefileTestFile.Concat(Shb(), Idb(), Epb(3, 1, Data)), 0, "a packet arrived on interface 3, but there's no Interface Description Block for that interface" },
        new object[] { SavefileTestFile.Concat(Shb(), Idb(snap: 50), Epb(0, 1, Data)), 0, "invalid packet capture length 60, bigger than snaplen of 50" },
        new object[] { SavefileTestFile.Concat(Shb(), Idb(), Epb(0, 1, Data, caplen: 200)), 0, "block of type 6 in pcapng dump file is too short" },
        // The other byte order's section header reads as a block of absurd length in this section's order.
        new object[] { SavefileTestFile.Concat(Shb(), Idb(), Epb(0, 1, Data), Shb(be: true), Idb(be: true)), 1, "pcapng block size 469762048 > maximum 16777216" },
    };

    [Theory]
    [MemberData(nameof(ReadRefusals))]
    public void RefusesWhatLibpcapRefusesWhileReading(byte[] file, int packetsBefore, string error)
    {
        var (packets, status, text) = SavefileTestFile.ReadAll(file);
        Assert.Equal(packetsBefore, packets.Count);
        Assert.Equal(PcapError.Error, status);
        Assert.Equal(error, text);
    }
}
