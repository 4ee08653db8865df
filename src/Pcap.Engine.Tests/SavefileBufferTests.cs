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
/// The 64 KiB buffer of savefiles opened by name (native-build/shim/savefile-buffer.c), through the
/// shim's own pcap_dump, pcap_dump_flush and pcap_dump_close: nothing reaches the file before 64 KiB
/// or a flush, and the bytes are the same as through glibc's 4 KiB buffer.
/// </summary>
public unsafe partial class SavefileBufferTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("savefile-buffer-tests").FullName;

    public void Dispose() => Directory.Delete(dir, true);

    static partial class Native
    {
        [LibraryImport("pcapshim", EntryPoint = "pcap_dump")]
        public static partial void Dump(IntPtr user, PacketHeader* h, byte* sp);
        [LibraryImport("pcapshim", EntryPoint = "pcap_dump_flush")]
        public static partial int Flush(IntPtr dumper);
        [LibraryImport("libc", EntryPoint = "fopen", StringMarshalling = StringMarshalling.Utf8)]
        public static partial IntPtr Fopen(string path, string mode);
        [LibraryImport("libc", EntryPoint = "setvbuf")]
        public static partial int Setvbuf(IntPtr stream, byte* buf, int mode, nuint size);
    }

    const int Records = 600, CapLen = 64; // 600 x (16 + 64) bytes = 48,000: more than 4 KiB, less than 64 KiB

    static void Write(IntPtr dumper)
    {
        byte* data = stackalloc byte[CapLen];
        for (int i = 0; i < Records; i++)
        {
            for (int j = 0; j < CapLen; j++) data[j] = (byte)(i + j);
            var h = new PacketHeader { TvSec = 1000 + i, TvUsec = i, CapLen = CapLen, Len = CapLen + 10 };
            Native.Dump(dumper, &h, data);
        }
    }

    static IntPtr Open(string path)
    {
        using var handle = new DeadHandle(1, 65535, TimestampPrecision.Micro);
        fixed (byte* name = Encoding.UTF8.GetBytes(path + "\0")) return Dumper.Open(handle, name);
    }

    static byte[] Expected()
    {
        var bytes = new MemoryStream();
        var w = new BinaryWriter(bytes);
        w.Write(0xa1b2c3d4u); w.Write((ushort)2); w.Write((ushort)4); w.Write(0); w.Write(0); w.Write(65535); w.Write(1);
        for (int i = 0; i < Records; i++)
        {
            w.Write(1000 + i); w.Write(i); w.Write(CapLen); w.Write(CapLen + 10);
            for (int j = 0; j < CapLen; j++) w.Write((byte)(i + j));
        }
        return bytes.ToArray();
    }

    [Fact]
    public void NothingReachesTheFileBeforeSixtyFourKibOrAFlush()
    {
        string path = Path.Combine(dir, "named.pcap");
        IntPtr dumper = Open(path);
        Write(dumper);
        Assert.Equal(0, new FileInfo(path).Length); // glibc's 4 KiB buffer would have written 45,056 bytes
        Assert.Equal(0, Native.Flush(dumper));
        Assert.Equal(Expected(), File.ReadAllBytes(path));
        long flushed = new FileInfo(path).Length;
        Write(dumper);
        Assert.Equal(flushed, new FileInfo(path).Length);
        Write(dumper); // past 64 KiB since the flush: one whole buffer goes out
        Assert.Equal(flushed + 65536, new FileInfo(path).Length);
        Shim.DumpClose(dumper);
        Assert.Equal(24 + 3 * Records * (16 + CapLen), new FileInfo(path).Length);
    }

    // pcap_dump_fopen's stream is the caller's: its buffering is left as it was (glibc's 4 KiB here).
    [Fact]
    public void StreamsOfTheCallerKeepTheirBuffer()
    {
        string path = Path.Combine(dir, "stream.pcap");
        IntPtr stream = Native.Fopen(path, "wb");
        Assert.NotEqual(IntPtr.Zero, stream);
        using var handle = new DeadHandle(1, 65535, TimestampPrecision.Micro);
        IntPtr dumper = Dumper.FromStream(handle, stream);
        Write(dumper);
        long written = new FileInfo(path).Length;
        Assert.True(written > 0 && written % 4096 == 0, $"{written} bytes written before the flush");
        Shim.DumpClose(dumper);
        Assert.Equal(Expected(), File.ReadAllBytes(path));
    }

    // An unbuffered stream has no room to copy into: pcap_dump writes through fwrite, at once.
    [Fact]
    public void UnbufferedStreamsGetEveryRecordAtOnce()
    {
        string path = Path.Combine(dir, "unbuffered.pcap");
        IntPtr stream = Native.Fopen(path, "wb");
        Assert.Equal(0, Native.Setvbuf(stream, null, 2 /* _IONBF */, 0));
        using var handle = new DeadHandle(1, 65535, TimestampPrecision.Micro);
        IntPtr dumper = Dumper.FromStream(handle, stream);
        Write(dumper);
        Assert.Equal(Expected(), File.ReadAllBytes(path));
        Shim.DumpClose(dumper);
    }

    // More savefiles open than the shim keeps buffers for: the others keep glibc's, and all are right.
    [Fact]
    public void EverySavefileIsRightWhenBuffersRunOut()
    {
        var dumpers = new IntPtr[80];
        for (int i = 0; i < dumpers.Length; i++)
        {
            dumpers[i] = Open(Path.Combine(dir, $"many{i}.pcap"));
            Write(dumpers[i]);
        }
        int unwritten = 0;
        for (int i = 0; i < dumpers.Length; i++)
            if (new FileInfo(Path.Combine(dir, $"many{i}.pcap")).Length == 0) unwritten++;
        Assert.InRange(unwritten, 1, 64);
        foreach (var d in dumpers) Shim.DumpClose(d);
        var expected = Expected();
        for (int i = 0; i < dumpers.Length; i++)
            Assert.Equal(expected, File.ReadAllBytes(Path.Combine(dir, $"many{i}.pcap")));
    }
}
