using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using Pcap.Engine.Handles;
using Pcap.Engine.Savefiles;
using Xunit;

namespace Pcap.Engine.Tests;

/// <summary>Builds savefiles byte by byte and reads them back through the engine.</summary>
static unsafe class SavefileTestFile
{
    public sealed record Packet(long Seconds, long Fraction, uint CapLen, uint Len, byte[] Data);

    sealed class Collector : IPacketSink
    {
        public readonly List<Packet> Packets = [];

        public void Packet(PacketHeader* h, byte* data) =>
            Packets.Add(new Packet(h->TvSec, h->TvUsec, h->CapLen, h->Len, new ReadOnlySpan<byte>(data, (int)h->CapLen).ToArray()));
    }

    public static string Write(byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), $"pcap-test-{Guid.NewGuid():N}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Opens the bytes as a savefile; the open error's text if libpcap's open would refuse it.</summary>
    public static SavefileHandle Open(byte[] bytes, int precision = 0)
    {
        string path = Write(bytes);
        try
        {
            return SavefileOpener.Open(path, precision);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static string OpenError(byte[] bytes, int precision = 0)
    {
        var e = Assert.Throws<PcapException>(() => Open(bytes, precision).Dispose());
        return e.Message;
    }

    /// <summary>pcap_loop over the whole file: the packets, the status and the error text.</summary>
    public static (List<Packet> Packets, int Status, string Error) ReadAll(SavefileHandle handle)
    {
        var sink = new Collector();
        int status = handle.Loop(-1, sink);
        return (sink.Packets, status, status == PcapError.Error ? handle.Error : "");
    }

    public static (List<Packet> Packets, int Status, string Error) ReadAll(byte[] bytes, int precision = 0)
    {
        using var handle = Open(bytes, precision);
        return ReadAll(handle);
    }

    public static IPacketSink NewCollector(out List<Packet> packets)
    {
        var c = new Collector();
        packets = c.Packets;
        return c;
    }

    // Classic pcap pieces, in either byte order.
    public static byte[] FileHeader(uint magic = 0xa1b2c3d4, ushort major = 2, ushort minor = 4, uint snap = 65535, uint linkType = 1, bool bigEndian = false)
    {
        var b = new byte[24];
        Put32(b, 0, magic, bigEndian);
        Put16(b, 4, major, bigEndian);
        Put16(b, 6, minor, bigEndian);
        Put32(b, 16, snap, bigEndian);
        Put32(b, 20, linkType, bigEndian);
        return b;
    }

    public static byte[] Record(uint sec, uint frac, uint caplen, uint len, byte[]? data = null, bool bigEndian = false)
    {
        data ??= Pattern((int)caplen);
        var b = new byte[16 + data.Length];
        Put32(b, 0, sec, bigEndian);
        Put32(b, 4, frac, bigEndian);
        Put32(b, 8, caplen, bigEndian);
        Put32(b, 12, len, bigEndian);
        data.CopyTo(b, 16);
        return b;
    }

    public static byte[] Pattern(int n)
    {
        var b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte)(i * 7 + 3);
        return b;
    }

    public static byte[] Concat(params byte[][] parts)
    {
        var all = new List<byte>();
        foreach (var p in parts) all.AddRange(p);
        return all.ToArray();
    }

    public static void Put16(byte[] b, int at, ushort v, bool bigEndian)
    {
        if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at), v);
        else BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), v);
    }

    public static void Put32(byte[] b, int at, uint v, bool bigEndian)
    {
        if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), v);
        else BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);
    }
}

/// <summary>
/// The classic pcap reader against libpcap 1.10.3's behaviour. Every expected text and value below was
/// checked against the system libpcap with compat-tests/savefile/sfread on the same bytes.
/// </summary>
public class SavefilePcapTests
{
    static byte[] Header(uint magic = 0xa1b2c3d4, ushort major = 2, ushort minor = 4, uint snap = 65535, uint linkType = 1, bool bigEndian = false) =>
        SavefileTestFile.FileHeader(magic, major, minor, snap, linkType, bigEndian);

    static byte[] Rec(uint sec, uint frac, uint caplen, uint len, byte[]? data = null, bool bigEndian = false) =>
        SavefileTestFile.Record(sec, frac, caplen, len, data, bigEndian);

    [Theory]
    [InlineData(false, 0xa1b2c3d4u, 0, 123456L)]
    [InlineData(true, 0xa1b2c3d4u, 0, 123456L)]
    [InlineData(false, 0xa1b2c3d4u, 1, 123456000L)]  // micro file, nano handle: scaled up
    [InlineData(true, 0xa1b23c4du, 1, 123456L)]      // nano file, nano handle
    [InlineData(false, 0xa1b23c4du, 0, 123L)]        // nano file, micro handle: scaled down
    public void ReadsBothByteOrdersAndPrecisions(bool bigEndian, uint magic, int precision, long expectedFraction)
    {
        var data = SavefileTestFile.Pattern(60);
        var file = SavefileTestFile.Concat(Header(magic, bigEndian: bigEndian), Rec(1700000000, 123456, 60, 64, data, bigEndian));
        using var handle = SavefileTestFile.Open(file, precision);
        Assert.Equal(bigEndian, handle.Swapped);
        Assert.Equal((TimestampPrecision)precision, handle.Precision);
        var (packets, status, _) = SavefileTestFile.ReadAll(handle);
        Assert.Equal(0, status);
        var p = Assert.Single(packets);
        Assert.Equal(1700000000, p.Seconds);
        Assert.Equal(expectedFraction, p.Fraction);
        Assert.Equal(60u, p.CapLen);
        Assert.Equal(64u, p.Len);
        Assert.Equal(data, p.Data);
    }

    [Fact]
    public void TimeStampsAreSignedInNativeOrderAndUnsignedWhenSwapped()
    {
        var native = SavefileTestFile.ReadAll(SavefileTestFile.Concat(Header(), Rec(0x80000000, 0xffffffff, 0, 0)));
        Assert.Equal(int.MinValue, native.Packets[0].Seconds);
        Assert.Equal(-1, native.Packets[0].Fraction);
        var swapped = SavefileTestFile.ReadAll(SavefileTestFile.Concat(Header(0xa1b23c4d, bigEndian: true), Rec(0x80000000, 0xffffffff, 0, 0, bigEndian: true)));
        Assert.Equal(2147483648L, swapped.Packets[0].Seconds);
        Assert.Equal(4294967L, swapped.Packets[0].Fraction); // nanoseconds 4294967295 to microseconds
    }

    [Theory]
    [InlineData(0x14000001u, 1, 0x14000000)] // FCS-length bits masked off, kept for pcap_datalink_ext
    [InlineData(101u, 12, 0)]                // LINKTYPE_RAW is DLT_RAW (12) on Linux
    [InlineData(100u, 11, 0)]
    [InlineData(106u, 19, 0)]
    [InlineData(147u, 147, 0)]
    [InlineData(70000u, 70000, 0)]           // unknown values pass through
    public void MapsTheLinkTypeField(uint field, int dlt, int ext)
    {
        using var handle = SavefileTestFile.Open(Header(linkType: field));
        Assert.Equal(dlt, handle.LinkType);
        Assert.Equal(ext, handle.LinkTypeExt);
    }

    [Theory]
    [InlineData(1, 0u, 262144)]
    [InlineData(231, 0u, 134217728)]      // DLT_DBUS
    [InlineData(249, 0u, 1048576)]        // DLT_USBPCAP
    [InlineData(279, 0u, 8388608)]        // DLT_EBHSCR
    [InlineData(1, 0x80000000u, 262144)]  // above INT_MAX: bogus
    [InlineData(1, 0x7fffffffu, 0x7fffffff)]
    [InlineData(1, 262145u, 262145)]      // libpcap 1.10 keeps a length above the maximum
    public void AdjustsTheSnapshotLengthAsLibpcap(int linkType, uint snap, int expected)
    {
        using var handle = SavefileTestFile.Open(Header(snap: snap, linkType: (uint)linkType));
        Assert.Equal(expected, handle.Snapshot);
    }

    [Theory]
    [InlineData(1, 0, "archaic pcap savefile format")]
    [InlineData(0, 4, "archaic pcap savefile format")]
    [InlineData(2, 5, "unsupported pcap savefile version 2.5")]
    [InlineData(3, 0, "unsupported pcap savefile version 3.0")]
    [InlineData(543, 1, "unsupported pcap savefile version 543.1")]
    public void RefusesVersionsLibpcapRefuses(ushort major, ushort minor, string error)
    {
        Assert.Equal(error, SavefileTestFile.OpenError(Header(major: major, minor: minor)));
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(2, 4)]
    [InlineData(543, 0)]
    public void AcceptsVersionsLibpcapAccepts(ushort major, ushort minor)
    {
        using var handle = SavefileTestFile.Open(Header(major: major, minor: minor));
        Assert.Equal(major, handle.MajorVersion);
        Assert.Equal(minor, handle.MinorVersion);
    }

    [Fact]
    public void OldVersionsHaveTheLengthsTheOtherWayRound()
    {
        // Before 2.3 len came first; 2.3 files are taken either way, whichever makes caplen <= len.
        var old = SavefileTestFile.ReadAll(SavefileTestFile.Concat(Header(minor: 2), Rec(1, 1, 100, 20, SavefileTestFile.Pattern(20))));
        Assert.Equal((20u, 100u), (old.Packets[0].CapLen, old.Packets[0].Len));
        var maybe = SavefileTestFile.ReadAll(SavefileTestFile.Concat(Header(minor: 3), Rec(1, 1, 30, 20, SavefileTestFile.Pattern(20)), Rec(1, 1, 10, 20, SavefileTestFile.Pattern(10))));
        Assert.Equal((20u, 30u), (maybe.Packets[0].CapLen, maybe.Packets[0].Len));
        Assert.Equal((10u, 20u), (maybe.Packets[1].CapLen, maybe.Packets[1].Len));
    }

    [Fact]
    public void KuznetzovFilesHaveLongerRecordHeadersAndEthernetSnapshotsGrow()
    {
        var record = SavefileTestFile.Concat(Rec(1, 2, 10, 10, []), new byte[8], SavefileTestFile.Pattern(10));
        using var handle = SavefileTestFile.Open(SavefileTestFile.Concat(Header(0xa1b2cd34, snap: 100), record));
        Assert.Equal(114, handle.Snapshot);
        var (packets, status, _) = SavefileTestFile.ReadAll(handle);
        Assert.Equal(0, status);
        Assert.Equal(SavefileTestFile.Pattern(10), Assert.Single(packets).Data);
    }

    [Theory]
    [InlineData(new byte[] { }, "truncated dump file; tried to read 4 file header bytes, only got 0")]
    [InlineData(new byte[] { 0xd4, 0xc3, 0xb2 }, "truncated dump file; tried to read 4 file header bytes, only got 3")]
    [InlineData(new byte[] { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0 }, "truncated dump file; tried to read 24 file header bytes, only got 2")]
    [InlineData(new byte[] { (byte)'a', (byte)'b', (byte)'c', (byte)'d', 1, 2, 3, 4 }, "unknown file format")]
    public void RefusesBrokenFileHeaders(byte[] bytes, string error)
    {
        Assert.Equal(error, SavefileTestFile.OpenError(bytes));
    }

    [Fact]
    public void RefusesAnUnknownPrecisionAfterTheHeader()
    {
        Assert.Equal("unknown time stamp resolution 7", SavefileTestFile.OpenError(Header(), 7));
        Assert.Equal("archaic pcap savefile format", SavefileTestFile.OpenError(Header(major: 1), 7));
    }

    [Fact]
    public void RefusesMissingFilesWithTheSystemText()
    {
        var e = Assert.Throws<PcapException>(() => SavefileOpener.Open("/nonexistent/x.pcap", 0));
        Assert.Equal("/nonexistent/x.pcap: No such file or directory", e.Message);
        e = Assert.Throws<PcapException>(() => SavefileOpener.Open(null, 0));
        Assert.Equal("A null pointer was supplied as the file name", e.Message);
        e = Assert.Throws<PcapException>(() => SavefileOpener.Open("/", 0));
        Assert.Equal("error reading dump file: Is a directory", e.Message);
    }

    [Fact]
    public void CutsRecordsLongerThanTheSnapshotLength()
    {
        var file = SavefileTestFile.Concat(Header(snap: 100), Rec(3, 4, 150, 200), Rec(5, 6, 20, 20));
        var (packets, status, _) = SavefileTestFile.ReadAll(file);
        Assert.Equal(0, status);
        Assert.Equal(2, packets.Count);
        Assert.Equal((100u, 200u), (packets[0].CapLen, packets[0].Len));
        Assert.Equal(SavefileTestFile.Pattern(150)[..100], packets[0].Data);
        Assert.Equal(5, packets[1].Seconds); // the rest of the long record was skipped
    }

    [Theory]
    [InlineData(100u, 300000u, "invalid packet capture length 300000, bigger than snaplen of 100")]
    [InlineData(1000000u, 300000u, "invalid packet capture length 300000, bigger than maximum of 262144")]
    [InlineData(100u, 0xffffffffu, "invalid packet capture length 4294967295, bigger than snaplen of 100")]
    public void RefusesBogusRecordLengths(uint snap, uint caplen, string error)
    {
        var file = SavefileTestFile.Concat(Header(snap: snap), Rec(1, 2, 60, 60), Rec(3, 4, caplen, caplen, []));
        var (packets, status, text) = SavefileTestFile.ReadAll(file);
        Assert.Single(packets);
        Assert.Equal(PcapError.Error, status);
        Assert.Equal(error, text);
    }

    [Theory]
    [InlineData(150u, 50, "truncated dump file; tried to read 100 captured bytes, only got 50")]
    [InlineData(150u, 120, "truncated dump file; tried to read 150 captured bytes, only got 120")]
    [InlineData(60u, 59, "truncated dump file; tried to read 60 captured bytes, only got 59")]
    public void ReportsTruncatedRecordData(uint caplen, int present, string error)
    {
        var file = SavefileTestFile.Concat(Header(snap: 100), Rec(1, 2, caplen, caplen, SavefileTestFile.Pattern(present)));
        var (packets, status, text) = SavefileTestFile.ReadAll(file);
        Assert.Empty(packets);
        Assert.Equal(PcapError.Error, status);
        Assert.Equal(error, text);
    }

    [Fact]
    public void ReportsATruncatedRecordHeaderAndEndsCleanlyOnAWholeOne()
    {
        var whole = SavefileTestFile.Concat(Header(), Rec(1, 2, 60, 60));
        var cut = SavefileTestFile.ReadAll(SavefileTestFile.Concat(whole, Rec(1, 2, 60, 60)[..10]));
        Assert.Single(cut.Packets);
        Assert.Equal(PcapError.Error, cut.Status);
        Assert.Equal("truncated dump file; tried to read 16 header bytes, only got 10", cut.Error);
        var clean = SavefileTestFile.ReadAll(whole);
        Assert.Equal(0, clean.Status);
    }

    [Fact]
    public void DeliversZeroLengthRecords()
    {
        var (packets, status, _) = SavefileTestFile.ReadAll(SavefileTestFile.Concat(Header(), Rec(1, 2, 0, 0), Rec(3, 4, 0, 1500)));
        Assert.Equal(0, status);
        Assert.Equal(2, packets.Count);
        Assert.All(packets, p => Assert.Equal(0u, p.CapLen));
        Assert.Equal(1500u, packets[1].Len);
    }

    [Fact]
    public void ReportsLibpcapsBufferSize()
    {
        using var small = SavefileTestFile.Open(Header(snap: 100));
        Assert.Equal(100, small.BufferSize);
        using var large = SavefileTestFile.Open(SavefileTestFile.Concat(Header(), Rec(1, 1, 3000, 3000)));
        Assert.Equal(2048, large.BufferSize);
        SavefileTestFile.ReadAll(large);
        Assert.Equal(4096, large.BufferSize); // grown to the next power of two
    }
}
