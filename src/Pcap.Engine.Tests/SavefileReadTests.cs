using System;
using System.IO;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Threading;
using Pcap.Engine.Bpf;
using Pcap.Engine.Handles;
using Pcap.Engine.Savefiles;
using Xunit;

namespace Pcap.Engine.Tests;

/// <summary>pcap_loop, pcap_dispatch, pcap_next_ex semantics on savefiles, and the ways a savefile is read (FILE *, pipe).</summary>
public unsafe partial class SavefileReadTests
{
    static byte[] Capture(int packets, int size = 60)
    {
        var parts = new byte[packets + 1][];
        parts[0] = SavefileTestFile.FileHeader();
        for (int i = 0; i < packets; i++)
            parts[i + 1] = SavefileTestFile.Record((uint)i, 0, (uint)size, (uint)size);
        return SavefileTestFile.Concat(parts);
    }

    [Fact]
    public void DispatchDeliversAtMostTheCountAndEverythingWithoutOne()
    {
        using var handle = SavefileTestFile.Open(Capture(10));
        var sink = SavefileTestFile.NewCollector(out var packets);
        Assert.Equal(3, handle.Dispatch(3, sink));
        Assert.Equal(7, handle.Dispatch(0, sink));
        Assert.Equal(0, handle.Dispatch(-1, sink)); // end of file
        Assert.Equal(10, packets.Count);
        Assert.Equal(9, packets[9].Seconds);
    }

    [Fact]
    public void LoopWithACountReturnsZeroAndNextExReportsEndOfFileAsBreak()
    {
        using var handle = SavefileTestFile.Open(Capture(5));
        Assert.Equal(0, handle.Loop(4, SavefileTestFile.NewCollector(out var packets)));
        Assert.Equal(4, packets.Count);
        Assert.Equal(1, handle.NextEx(out var header, out var data));
        Assert.Equal(4, header->TvSec);
        Assert.Equal(SavefileTestFile.Pattern(60), new ReadOnlySpan<byte>(data, 60).ToArray());
        Assert.Equal(PcapError.Break, handle.NextEx(out _, out _));
    }

    /// <summary>Sets the break flag from inside the callback after a number of packets, as a signal handler would.</summary>
    sealed class BreakingSink(Handle handle, int after) : IPacketSink
    {
        public int Seen;

        public void Packet(PacketHeader* header, byte* data)
        {
            if (++Seen == after)
                handle.Block->BreakLoop = 1;
        }
    }

    [Fact]
    public void BreakReturnsThePacketsSoFarThenMinusTwoOnce()
    {
        using var handle = SavefileTestFile.Open(Capture(10));
        var sink = new BreakingSink(handle, 3);
        // pcap_offline_read returns what it delivered and leaves the flag; pcap_loop's next read returns -2.
        Assert.Equal(3, handle.Dispatch(-1, sink));
        Assert.Equal(PcapError.Break, handle.Dispatch(-1, sink));
        Assert.Equal(7, handle.Dispatch(-1, sink)); // the flag was consumed: reading goes on
        var looping = SavefileTestFile.Open(Capture(10));
        Assert.Equal(PcapError.Break, looping.Loop(-1, new BreakingSink(looping, 4)));
        looping.Dispose();
    }

    [Fact]
    public void OnlyPacketsThatPassTheFilterAreDeliveredAndCounted()
    {
        using var handle = SavefileTestFile.Open(Capture(4));
        handle.Filter = new Bpf.Program([new Instruction(0x06, 0, 0, 0)]); // ret #0: reject all
        Assert.Equal(0, handle.Dispatch(2, SavefileTestFile.NewCollector(out var rejected)));
        Assert.Empty(rejected);
        using var accepting = SavefileTestFile.Open(Capture(4));
        accepting.Filter = new Bpf.Program([new Instruction(0x06, 0, 0, 10)]); // ret #10: an offline read does not cut caplen
        Assert.Equal(2, accepting.Dispatch(2, SavefileTestFile.NewCollector(out var accepted)));
        Assert.Equal(60u, accepted[0].CapLen);
    }

    // ld len; jset #1: odd wire lengths pass, even ones are rejected.
    static Bpf.Program OddLengths() =>
        new([new Instruction(0x80, 0, 0, 0), new Instruction(0x45, 0, 1, 1), new Instruction(0x06, 0, 0, 65535), new Instruction(0x06, 0, 0, 0)]);

    [Fact]
    public void NextExFiltersBatchedRecordsAndAFilterChangeRereadsTheRejectedOnes()
    {
        // Record i has wire length 60 + i: the odd ones pass. pcap_next_ex takes records in batches; a new
        // filter gives back the packets not yet handed out, so the records after the last one handed out
        // (rejected by the old filter or not) are judged by the new one, as libpcap reading one at a time.
        var parts = new byte[11][];
        parts[0] = SavefileTestFile.FileHeader();
        for (int i = 0; i < 10; i++)
            parts[i + 1] = SavefileTestFile.Record((uint)i, 0, 60, 60 + (uint)i);
        using var handle = SavefileTestFile.Open(SavefileTestFile.Concat(parts));
        handle.Filter = OddLengths();
        Assert.Equal(1, handle.NextEx(out var header, out _));
        Assert.Equal(1, header->TvSec);
        Assert.Equal(1, handle.NextEx(out header, out _));
        Assert.Equal(3, header->TvSec);
        handle.Filter = new Bpf.Program([new Instruction(0x06, 0, 0, 65535)]);
        for (int i = 4; i < 10; i++)
        {
            Assert.Equal(1, handle.NextEx(out header, out _));
            Assert.Equal(i, header->TvSec);
        }
        Assert.Equal(PcapError.Break, handle.NextEx(out _, out _));
    }

    [LibraryImport("libc", EntryPoint = "fdopen")]
    private static partial IntPtr Fdopen(int fd, byte* mode);

    [LibraryImport("libc", EntryPoint = "fmemopen")]
    private static partial IntPtr Fmemopen(byte* buffer, nuint size, byte* mode);

    [LibraryImport("libc", EntryPoint = "dup")]
    private static partial int Dup(int fd);

    [Fact]
    public void ReadsAPipeInPiecesAsTheWriterWritesThem()
    {
        // Far more than one pipe buffer, with records crossing every read() boundary.
        var bytes = Capture(40000, 97);
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        int fd = Dup((int)server.ClientSafePipeHandle.DangerousGetHandle());
        server.DisposeLocalCopyOfClientHandle();
        IntPtr file;
        fixed (byte* mode = "rb\0"u8)
            file = Fdopen(fd, mode);
        var writer = new Thread(() =>
        {
            for (int at = 0; at < bytes.Length; at += 1000)
                server.Write(bytes, at, Math.Min(1000, bytes.Length - at));
            server.Dispose();
        });
        writer.Start();
        using var handle = SavefileOpener.Open(file, 0);
        var (packets, status, _) = SavefileTestFile.ReadAll(handle);
        writer.Join();
        Assert.Equal(0, status);
        Assert.Equal(40000, packets.Count);
        Assert.Equal(39999, packets[^1].Seconds);
        Assert.All(packets, p => Assert.Equal(97u, p.CapLen));
    }

    [Fact]
    public void ReadsAFileStarWithoutADescriptor()
    {
        var bytes = Capture(3);
        fixed (byte* b = bytes)
        fixed (byte* mode = "rb\0"u8)
        {
            IntPtr file = Fmemopen(b, (nuint)bytes.Length, mode);
            using var handle = SavefileOpener.Open(file, 1);
            Assert.Equal(file, handle.File);
            var (packets, status, _) = SavefileTestFile.ReadAll(handle);
            Assert.Equal(0, status);
            Assert.Equal(3, packets.Count);
        }
    }

    [Fact]
    public void ReadsAFileStarFromWhereTheCallerLeftIt()
    {
        // A FILE * whose stdio buffer already holds the whole file: reading must start at its position, not the descriptor's.
        var bytes = SavefileTestFile.Concat(new byte[10], Capture(2));
        string path = SavefileTestFile.Write(bytes);
        try
        {
            using var stream = new FileStream(path, FileMode.Open);
            IntPtr file;
            fixed (byte* mode = "rb\0"u8)
                file = Fdopen(Dup((int)stream.SafeFileHandle.DangerousGetHandle()), mode);
            var skip = new byte[10];
            fixed (byte* s = skip)
                Assert.Equal(10u, (uint)Interop.Stdio.Fread(s, 1, 10, file));
            using var handle = SavefileOpener.Open(file, 0);
            Assert.Equal(2, SavefileTestFile.ReadAll(handle).Packets.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
