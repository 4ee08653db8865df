using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;
using Pcap.Engine.Savefiles.Writing;
using Xunit;

namespace Pcap.Engine.Tests;

/// <summary>
/// The dumper opens, differential against the system libpcap 1.10.3 loaded in the same process:
/// same header bytes, same append checks and error texts.
/// </summary>
public unsafe partial class DumperTests : IDisposable
{
    const string SystemLibpcap = "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8";
    readonly string dir = Directory.CreateTempSubdirectory("dumper-tests").FullName;

    public void Dispose() => Directory.Delete(dir, true);

    // A pcap_create'd handle before pcap_activate, as far as dumpers can tell.
    sealed class NotActivatedHandle : Handle
    {
        public NotActivatedHandle() => LinkType = 1;

        protected override int Read(int maxPackets, IPacketSink sink) => throw new NotSupportedException();
    }

    static partial class Sys
    {
        [LibraryImport(SystemLibpcap, EntryPoint = "pcap_open_dead_with_tstamp_precision")]
        public static partial IntPtr OpenDead(int linkType, int snaplen, uint precision);
        [LibraryImport(SystemLibpcap, EntryPoint = "pcap_dump_open", StringMarshalling = StringMarshalling.Utf8)]
        public static partial IntPtr DumpOpen(IntPtr p, string fname);
        [LibraryImport(SystemLibpcap, EntryPoint = "pcap_dump_open_append", StringMarshalling = StringMarshalling.Utf8)]
        public static partial IntPtr DumpOpenAppend(IntPtr p, string fname);
        [LibraryImport(SystemLibpcap, EntryPoint = "pcap_dump_close")]
        public static partial void DumpClose(IntPtr d);
        [LibraryImport(SystemLibpcap, EntryPoint = "pcap_geterr")]
        public static partial IntPtr GetErr(IntPtr p);
        [LibraryImport(SystemLibpcap, EntryPoint = "pcap_close")]
        public static partial void Close(IntPtr p);
    }

    static bool HaveSystemLibpcap => File.Exists(SystemLibpcap);

    // Runs one open on both libraries; returns (system file bytes or error, our file bytes or error).
    (string System, string Ours) Both(int dlt, int snap, TimestampPrecision precision, bool append, byte[]? existing)
    {
        string sysPath = Path.Combine(dir, "sys.pcap"), ourPath = Path.Combine(dir, "ours.pcap");
        foreach (var path in new[] { sysPath, ourPath })
        {
            if (existing != null) File.WriteAllBytes(path, existing);
            else File.Delete(path);
        }

        string sys;
        IntPtr p = Sys.OpenDead(dlt, snap, (uint)precision);
        IntPtr d = append ? Sys.DumpOpenAppend(p, sysPath) : Sys.DumpOpen(p, sysPath);
        if (d == IntPtr.Zero) sys = "error: " + Marshal.PtrToStringUTF8(Sys.GetErr(p))!.Replace(sysPath, "PATH");
        else { Sys.DumpClose(d); sys = Convert.ToHexString(File.ReadAllBytes(sysPath)); }
        Sys.Close(p);

        string ours;
        using var handle = new DeadHandle(dlt, snap, precision); // what pcap_open_dead makes
        byte[] name = Encoding.UTF8.GetBytes(ourPath + "\0");
        try
        {
            fixed (byte* n = name)
            {
                IntPtr stream = append ? Dumper.OpenAppend(handle, n) : Dumper.Open(handle, n);
                Shim.DumpClose(stream);
            }
            ours = Convert.ToHexString(File.ReadAllBytes(ourPath));
        }
        catch (PcapException e)
        {
            ours = "error: " + e.Message.Replace(ourPath, "PATH");
        }
        return (sys, ours);
    }

    [Fact]
    public void LinkTypeMappingMatchesLibpcapForEveryValue()
    {
        Assert.True(HaveSystemLibpcap, "system libpcap missing");
        for (int dlt = -3; dlt <= 400; dlt++)
        {
            var (sys, ours) = Both(dlt, 65535, TimestampPrecision.Micro, false, null);
            Assert.True(sys == ours, $"DLT {dlt}: libpcap {sys}, ours {ours}");
        }
    }

    [Theory]
    [InlineData(1, 65535, TimestampPrecision.Micro)]
    [InlineData(1, 262144, TimestampPrecision.Nano)]
    [InlineData(113, 0, TimestampPrecision.Micro)]
    [InlineData(12, 96, TimestampPrecision.Nano)]
    public void HeaderBytesMatchLibpcap(int dlt, int snap, TimestampPrecision precision)
    {
        var (sys, ours) = Both(dlt, snap, precision, false, null);
        Assert.Equal(48, sys.Length); // a header, not an error
        Assert.Equal(sys, ours);
    }

    static byte[] Header(uint magic, ushort major, ushort minor, uint snap, uint linkType)
    {
        var b = new byte[24];
        BitConverter.TryWriteBytes(b.AsSpan(0), magic);
        BitConverter.TryWriteBytes(b.AsSpan(4), major);
        BitConverter.TryWriteBytes(b.AsSpan(6), minor);
        BitConverter.TryWriteBytes(b.AsSpan(16), snap);
        BitConverter.TryWriteBytes(b.AsSpan(20), linkType);
        return b;
    }

    public static TheoryData<string, byte[], TimestampPrecision> AppendCases => new()
    {
        { "matching", Header(0xa1b2c3d4, 2, 4, 65535, 1), TimestampPrecision.Micro },
        { "matching nano", Header(0xa1b23c4d, 2, 4, 65535, 1), TimestampPrecision.Nano },
        { "empty", Array.Empty<byte>(), TimestampPrecision.Nano },
        { "other link type", Header(0xa1b2c3d4, 2, 4, 65535, 105), TimestampPrecision.Micro },
        { "fcs bits", Header(0xa1b2c3d4, 2, 4, 65535, 0x10000001), TimestampPrecision.Micro },
        { "other snaplen", Header(0xa1b2c3d4, 2, 4, 100, 1), TimestampPrecision.Micro },
        { "nano file, micro handle", Header(0xa1b23c4d, 2, 4, 65535, 1), TimestampPrecision.Micro },
        { "micro file, nano handle", Header(0xa1b2c3d4, 2, 4, 65535, 1), TimestampPrecision.Nano },
        { "swapped", Header(0xd4c3b2a1, 0x200, 0x400, 0xffff0000, 0x01000000), TimestampPrecision.Micro },
        { "version 2.3", Header(0xa1b2c3d4, 2, 3, 65535, 1), TimestampPrecision.Micro },
        { "version 1.4", Header(0xa1b2c3d4, 1, 4, 65535, 1), TimestampPrecision.Micro },
        { "kuznetzov", Header(0xa1b2cd34, 2, 4, 65535, 1), TimestampPrecision.Micro },
        { "navtel swapped", Header(0x4d3c2ba1, 2, 4, 65535, 1), TimestampPrecision.Micro },
        { "pcapng", Header(0x0a0d0d0a, 28, 0, 65535, 1), TimestampPrecision.Micro },
        { "truncated", new byte[] { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4 }, TimestampPrecision.Micro },
    };

    [Theory]
    [MemberData(nameof(AppendCases))]
    public void AppendChecksMatchLibpcap(string name, byte[] existing, TimestampPrecision precision)
    {
        var (sys, ours) = Both(1, 65535, precision, true, existing);
        Assert.True(sys == ours, $"{name}: libpcap {sys}, ours {ours}");
    }

    [Fact]
    public void AppendToMissingFileCreatesIt()
    {
        var (sys, ours) = Both(1, 1500, TimestampPrecision.Micro, true, null);
        Assert.Equal(48, sys.Length); // 24 bytes in hex
        Assert.Equal(sys, ours);
    }

    [Fact]
    public void NotActivatedHandleIsRefused()
    {
        using var handle = new NotActivatedHandle();
        byte[] name = Encoding.UTF8.GetBytes(Path.Combine(dir, "x.pcap") + "\0");
        fixed (byte* pinned = name)
        {
            IntPtr n = (IntPtr)pinned;
            var e = Assert.Throws<PcapException>(() => Dumper.Open(handle, (byte*)n));
            Assert.Equal(Path.Combine(dir, "x.pcap") + ": not-yet-activated pcap_t passed to pcap_dump_open", e.Message);
        }
        Assert.False(File.Exists(Path.Combine(dir, "x.pcap")));
    }
}
