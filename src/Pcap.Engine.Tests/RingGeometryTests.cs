using Pcap.Engine.Capture.Linux;
using Xunit;

namespace Pcap.Engine.Tests;

public class RingGeometryTests
{
    const uint V3Frame = 262144; // libpcap's V3 "frame": MAXIMUM_SNAPLEN
    const int KiB = 1024, MiB = 1024 * 1024;

    static (uint BlockSize, uint Blocks) V3(int bufferSize)
    {
        var (blockSize, frameNr) = RingGeometry.Of(Tpacket.V3, V3Frame, bufferSize, 4096);
        return (blockSize, frameNr / (blockSize / V3Frame));
    }

    // The default V3 ring: 4 MiB in four 1 MiB blocks (libpcap: 2 MiB in eight 256 KiB blocks).
    [Fact]
    public void DefaultV3RingIsFourBlocksOfOneMebibyte() => Assert.Equal((1u * MiB, 4u), V3(0));

    // -B sizes: never fewer than four blocks while a block can stay 256 KiB (libpcap's size), at
    // most 1 MiB a block, and never less memory than asked for.
    [Theory]
    [InlineData(256 * KiB, 256 * KiB, 1)]    // as libpcap: one block
    [InlineData(1 * MiB, 256 * KiB, 4)]      // as libpcap
    [InlineData(2 * MiB, 512 * KiB, 4)]      // dumpcap's default; libpcap 8 x 256 KiB
    [InlineData(2304 * KiB, 512 * KiB, 5)]   // 2.25 MiB rounded up to whole blocks
    [InlineData(3 * MiB, 512 * KiB, 6)]
    [InlineData(8 * MiB, 1 * MiB, 8)]
    [InlineData(64 * MiB, 1 * MiB, 64)]
    [InlineData(1000, 256 * KiB, 1)]         // rounded up to one frame, as libpcap does
    public void V3BlocksGrowWithTheBuffer(int bufferSize, int blockSize, int blocks)
    {
        var (size, count) = V3(bufferSize);
        Assert.Equal(((uint)blockSize, (uint)blocks), (size, count));
        Assert.True((ulong)size * count >= (ulong)bufferSize);
    }

    // TPACKET_V2 (immediate mode) keeps libpcap's geometry: the facts doc's 1600-byte frames give
    // 4 KiB blocks of two frames and 1310 frames in the default 2 MiB.
    [Fact]
    public void V2RingIsLibpcaps()
    {
        Assert.Equal((4096u, 1310u), RingGeometry.Of(Tpacket.V2, 1600, 0, 4096));
        Assert.Equal((131072u, 32u), RingGeometry.Of(Tpacket.V2, 65632, 0, 4096));
    }
}
