using System;
using Pcap.Engine.Handles;
using Xunit;

namespace Pcap.Engine.Tests;

/// <summary>pcap_open_dead handles and pcap_set_datalink's checks, against the system libpcap's.</summary>
public unsafe class LinkTypeHandleTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 113)]
    [InlineData(1, 2000)]
    [InlineData(1, -3)]
    [InlineData(113, 113)]
    [InlineData(276, 1)]
    [InlineData(147, 148)]
    public void SetDataLinkOnADeadHandleMatchesLibpcap(int own, int asked)
    {
        nint sys = BpfReference.OpenDead(own, 100);
        try
        {
            using var ours = new DeadHandle(own, 100, TimestampPrecision.Micro);
            int expected = BpfReference.SetDatalink(sys, asked);
            Assert.Equal(expected, ours.SetDataLink(asked));
            if (expected != 0) Assert.Equal(BpfReference.Text(BpfReference.Geterr(sys)), ours.Error);
            Assert.Equal(own, ours.LinkType);
        }
        finally
        {
            BpfReference.Close(sys);
        }
    }

    sealed class TwoLinkTypes(int[] offered) : DeadHandleLike
    {
        public override int[]? DataLinks => offered;
        public int Changes;
        protected override int ChangeDataLink(int dlt)
        {
            Changes++;
            if (dlt == 999) { Error = "module refused"; return PcapError.Error; }
            return 0;
        }
    }

    /// <summary>A handle offering a list of link types, as a capture module would.</summary>
    abstract class DeadHandleLike : Handle
    {
        protected DeadHandleLike() { LinkType = 1; Activated = true; }
        protected override int Read(int maxPackets, IPacketSink sink) => 0;
    }

    [Fact]
    public void SetDataLinkWithAListAsksTheModuleOnlyForListedTypes()
    {
        using var h = new TwoLinkTypes([113, 276, 999]);
        Assert.Equal(0, h.SetDataLink(276));
        Assert.Equal(276, h.LinkType);
        Assert.Equal(-1, h.SetDataLink(1));
        Assert.Equal("EN10MB is not one of the DLTs supported by this device", h.Error);
        Assert.Equal(-1, h.SetDataLink(999));
        Assert.Equal("module refused", h.Error);
        Assert.Equal(276, h.LinkType);
        Assert.Equal(2, h.Changes);
    }

    [Fact]
    public void DocsisOnAnEthernetDeviceOnlyRelabels()
    {
        using var h = new TwoLinkTypes([1, 143]);
        Assert.Equal(0, h.SetDataLink(143));
        Assert.Equal(143, h.LinkType);
        Assert.Equal(0, h.Changes);
    }

    [Fact]
    public void ReadingADeadHandleGivesLibpcapsError()
    {
        nint sys = BpfReference.OpenDead(1, 100);
        try
        {
            void* header;
            byte* data;
            int expected = BpfReference.NextEx(sys, &header, &data);
            using var ours = new DeadHandle(1, 100, TimestampPrecision.Nano);
            Assert.Equal(expected, ours.NextEx(out _, out _));
            Assert.Equal(BpfReference.Text(BpfReference.Geterr(sys)), ours.Error);
            Assert.Equal(StatsSource.Dead, ours.Block->StatsSource);
            Assert.True(ours.Activated);
            Assert.Equal(TimestampPrecision.Nano, ours.Precision);
        }
        finally
        {
            BpfReference.Close(sys);
        }
    }
}
