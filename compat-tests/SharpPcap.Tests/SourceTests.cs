using System;
using System.Linq;
using SharpPcap;
using SharpPcap.LibPcap;
using Xunit;

namespace SharpPcap.Tests;

/// <summary>
/// What SharpPcap's own device tests (DeviceFixture, PcapDeviceTest) do with every listed device,
/// on the netfilter pseudo-devices: the list names them with libpcap's descriptions; Open() works
/// and leaves no error; microsecond stamps, and nanoseconds refused with
/// PCAP_ERROR_TSTAMP_PRECISION_NOTSUP; a background capture starts and stops. Every other listed
/// device either opens or fails with a PcapException (never a crash).
/// </summary>
public class SourceTests
{
    static LibPcapLiveDevice Listed(string name) => LibPcapLiveDeviceList.New().Single(d => d.Name == name);

    [Theory]
    [InlineData("nflog", "Linux netfilter log (NFLOG) interface")]
    [InlineData("nfqueue", "Linux netfilter queue (NFQUEUE) interface")]
    public void NetfilterDeviceIsListed(string name, string description)
    {
        var device = Listed(name);
        Assert.Equal(description, device.Description);
        Assert.Empty(device.Addresses);
    }

    [Theory]
    [InlineData("nflog", 239)]   // LINKTYPE_NFLOG
    [InlineData("nfqueue", 228)] // LINKTYPE_IPV4
    public void NetfilterDeviceOpens(string name, int linkType)
    {
        using var device = Listed(name);
        device.Open();
        Assert.True(device.Opened);
        Assert.Empty(device.LastError);
        Assert.Equal(TimestampResolution.Microsecond, device.TimestampResolution);
        Assert.Equal(linkType, (int)device.LinkType);
    }

    [Theory]
    [InlineData("nflog")]
    [InlineData("nfqueue")]
    public void NetfilterDeviceRefusesNanoseconds(string name)
    {
        using var device = Listed(name);
        var e = Assert.Throws<PcapException>(() => device.Open(new DeviceConfiguration { TimestampResolution = TimestampResolution.Nanosecond }));
        Assert.Equal(PcapError.TimestampPrecisionNotSupported, e.Error);
    }

    [Theory]
    [InlineData("nflog")]
    [InlineData("nfqueue")]
    public void NetfilterBackgroundCaptureStartsAndStops(string name)
    {
        using var device = Listed(name);
        device.Open(new DeviceConfiguration { ReadTimeout = 100 });
        device.OnPacketArrival += (_, _) => { };
        device.StartCapture();
        Assert.True(device.Started);
        device.StopCapture(); // pcap_breakloop while the capture thread waits in a read
        Assert.False(device.Started);
    }

    [Fact]
    public void EveryListedDeviceOpensOrFailsCleanly()
    {
        foreach (var device in LibPcapLiveDeviceList.New())
        {
            using (device)
            {
                try
                {
                    device.Open(new DeviceConfiguration { ReadTimeout = 100 });
                    Assert.True(device.Opened, device.Name);
                }
                catch (PcapException e)
                {
                    // No such device, no permission, no bus: libpcap's status and text, in SharpPcap's exception.
                    Assert.False(string.IsNullOrEmpty(e.Message), device.Name);
                }
            }
        }
    }
}
