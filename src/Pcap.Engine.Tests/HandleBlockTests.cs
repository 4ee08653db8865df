using System.Runtime.InteropServices;
using Pcap.Engine.Handles;
using Xunit;

namespace Pcap.Engine.Tests;

public unsafe class HandleBlockTests
{
    // Offsets pinned to native-build/shim/pcap-handle.h, which C reads from signal handlers.
    [Theory]
    [InlineData(nameof(HandleBlock.Magic), 0)]
    [InlineData(nameof(HandleBlock.BreakLoop), 4)]
    [InlineData(nameof(HandleBlock.WakeFd), 8)]
    [InlineData(nameof(HandleBlock.StatsSource), 12)]
    [InlineData(nameof(HandleBlock.StatsFd), 16)]
    [InlineData(nameof(HandleBlock.Promisc), 20)]
    [InlineData(nameof(HandleBlock.PsRecv), 24)]
    [InlineData(nameof(HandleBlock.PsDrop), 32)]
    [InlineData(nameof(HandleBlock.PsIfdrop), 40)]
    [InlineData(nameof(HandleBlock.IfdropBase), 48)]
    [InlineData(nameof(HandleBlock.IfName), 56)]
    [InlineData(nameof(HandleBlock.Engine), 88)]
    [InlineData(nameof(HandleBlock.Errbuf), 96)]
    [InlineData(nameof(HandleBlock.InjectFd), 360)]
    [InlineData(nameof(HandleBlock.Ready), 368)]
    public void FieldOffsetsMatchTheCHeader(string field, int offset)
    {
        Assert.Equal(offset, (int)Marshal.OffsetOf<HandleBlock>(field));
    }

    [Fact]
    public void SizeMatchesTheCHeader() => Assert.Equal(376, sizeof(HandleBlock));

    [Fact]
    public void ErrorTextIsTruncatedToTheErrbuf()
    {
        var buf = stackalloc byte[HandleBlock.ErrbufSize];
        HandleBlock.WriteText(buf, HandleBlock.ErrbufSize, new string('x', 400));
        Assert.Equal(255, HandleBlock.ReadText(buf).Length);
    }
}
