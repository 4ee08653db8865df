using Pcap.Engine.Capture.Netmap;
using Pcap.Engine.Handles;
using Xunit;

namespace Pcap.Engine.Tests;

/// <summary>libnetmap's nmport syntax (facts doc 1.13) as the module turns it into a NETMAP_REQ_REGISTER.</summary>
public class NetmapPortNameTests
{
    [Theory]
    [InlineData("netmap:eth0", "eth0", NetmapAbi.RegAllNic, 0)]
    [InlineData("netmap:eth0-2", "eth0", NetmapAbi.RegOneNic, 2)]
    [InlineData("netmap:eth0^", "eth0", NetmapAbi.RegSw, 0)]
    [InlineData("netmap:eth0^1", "eth0", NetmapAbi.RegOneSw, 1)]
    [InlineData("netmap:eth0*", "eth0", NetmapAbi.RegNicSw, 0)]
    [InlineData("netmap:eth0{1", "eth0{1", NetmapAbi.RegAllNic, 0)]
    [InlineData("netmap:eth0}pipeA", "eth0}pipeA", NetmapAbi.RegAllNic, 0)]
    [InlineData("vale0:p1", "vale0:p1", NetmapAbi.RegAllNic, 0)]
    [InlineData("vale:p1", "vale:p1", NetmapAbi.RegAllNic, 0)]
    [InlineData("vale0:p1-0", "vale0:p1", NetmapAbi.RegOneNic, 0)]
    [InlineData("vale1:a{3", "vale1:a{3", NetmapAbi.RegAllNic, 0)]
    public void RingSelection(string device, string kernelName, uint mode, int ring)
    {
        var p = PortName.Parse(device);
        Assert.Equal(kernelName, p.KernelName);
        Assert.Equal(mode, p.Mode);
        Assert.Equal(ring, p.RingId);
    }

    [Theory]
    [InlineData("netmap:eth0/x", NetmapAbi.Exclusive)]
    [InlineData("netmap:eth0/z", NetmapAbi.ZcopyMon)]
    [InlineData("netmap:eth0/rt", NetmapAbi.MonitorRx | NetmapAbi.MonitorTx)]
    [InlineData("netmap:eth0/R", NetmapAbi.RxRingsOnly)]
    [InlineData("netmap:eth0-1/T", NetmapAbi.TxRingsOnly)]
    public void FlagsAfterSlash(string device, ulong flags) => Assert.Equal(flags, PortName.Parse(device).Flags);

    [Fact]
    public void MemoryIdAfterAt()
    {
        var p = PortName.Parse("netmap:eth0*/x@3");
        Assert.Equal(3, p.MemId);
        Assert.Equal(NetmapAbi.RegNicSw, p.Mode);
        Assert.Equal(NetmapAbi.Exclusive, p.Flags);
    }

    [Fact]
    public void InterfaceIsKnownOnlyForNicPorts()
    {
        Assert.Equal("veth0", PortName.Parse("netmap:veth0*").Interface);
        Assert.Null(PortName.Parse("vale0:a").Interface);
        Assert.Null(PortName.Parse("netmap:veth0{1").Interface);
        Assert.True(PortName.Parse("netmap:veth0{1").IsPipe);
        Assert.True(PortName.Parse("vale0:a").IsVale);
    }

    [Fact]
    public void OnlyTheStarBindingIsTransparent()
    {
        Assert.True(PortName.Parse("netmap:eth0*").Transparent);
        Assert.False(PortName.Parse("netmap:eth0").Transparent);
        Assert.False(PortName.Parse("netmap:eth0^").Transparent);
    }

    [Theory]
    [InlineData("netmap:")]
    [InlineData("netmap:eth0-")]
    [InlineData("netmap:eth0-4096")]
    [InlineData("netmap:eth0/q")]
    [InlineData("netmap:eth0@conf:rings=4")]
    [InlineData("netmap:eth0{")]
    [InlineData("netmap:eth0*x")]
    [InlineData("vale0:")]
    [InlineData("vale0:a^")]
    [InlineData("netmap:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void BadNamesAreRefusedWithATextNamingThem(string device)
    {
        var e = Assert.Throws<PcapException>(() => PortName.Parse(device));
        Assert.StartsWith($"netmap: invalid port name '{device}'", e.Message);
        Assert.Equal(PcapError.Error, e.Code);
    }

    [Theory]
    [InlineData("netmap:eth0", true)]
    [InlineData("vale0:a", true)]
    [InlineData("vale:a", true)]
    [InlineData("valerie", false)] // libpcap's 4-character test would take this interface name
    [InlineData("vale-x:a", false)]
    [InlineData("eth0", false)]
    [InlineData("any", false)]
    public void ClaimedNames(string device, bool claimed) => Assert.Equal(claimed, PortName.IsNetmapName(device));

    [Theory]
    [InlineData("eth0", "eth0=netmap:eth0*,eth1=vale0:b", null, "netmap:eth0*")]
    [InlineData("eth1", "eth0=netmap:eth0*, eth1=vale0:b", null, "vale0:b")]
    [InlineData("eth2", "eth0=netmap:eth0*", null, null)]
    [InlineData("eth2", "eth0=netmap:eth0", "1", "netmap:eth2*")]
    [InlineData("eth0", "eth0=netmap:eth0", "1", "netmap:eth0")]
    [InlineData("any", null, "1", null)]
    [InlineData("netmap:eth0", null, "1", null)]
    [InlineData("eth0", null, "0", null)]
    public void EnvironmentMapsOrdinaryNames(string device, string? devices, string? all, string? expected) =>
        Assert.Equal(expected, NetmapCaptureModule.Mapped(device, devices, all));
}
