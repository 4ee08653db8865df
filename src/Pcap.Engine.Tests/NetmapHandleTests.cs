using System.IO;
using Pcap.Engine.Capture.Netmap;
using Pcap.Engine.Handles;
using Xunit;

namespace Pcap.Engine.Tests;

/// <summary>Activation failures of the netmap handle, which need no /dev/netmap (end-to-end tests: compat-tests/suites/80-netmap.sh).</summary>
public class NetmapHandleTests
{
    [Fact]
    public void ABadPortNameFailsActivationWithItsReason()
    {
        using var h = new NetmapHandle("netmap:eth0-x", "netmap:eth0-x");
        Assert.Equal(PcapError.Error, h.Activate());
        Assert.Equal("netmap: invalid port name 'netmap:eth0-x': ring number expected", h.Error);
        Assert.False(h.Activated);
    }

    [Fact]
    public void WithoutDevNetmapActivationSaysSo()
    {
        if (File.Exists("/dev/netmap")) return; // a machine with netmap loaded: the end-to-end suite covers it
        using var h = new NetmapHandle("netmap:eth0", "netmap:eth0");
        Assert.Equal(PcapError.Error, h.Activate());
        Assert.Equal("netmap: cannot open /dev/netmap for netmap:eth0: No such file or directory", h.Error);
        Assert.Equal(-1, h.SelectableFd);
    }

    [Fact]
    public void MonitorModeIsRefused()
    {
        using var h = new NetmapHandle("vale0:a", "vale0:a") { RfmonOption = true };
        Assert.Equal(PcapError.RfmonNotSup, h.Activate());
    }

    [Fact]
    public void TheMappedPortIsWhatGetsOpened()
    {
        var module = new NetmapCaptureModule();
        Assert.True(module.Claims("netmap:veth0"));
        Assert.True(module.Claims("vale3:x"));
        var h = (NetmapHandle)module.Create("netmap:veth0*");
        Assert.Equal("netmap:veth0*", h.PortName);
        Assert.Equal("netmap:veth0*", h.Device);
        h.Dispose();
    }
}
