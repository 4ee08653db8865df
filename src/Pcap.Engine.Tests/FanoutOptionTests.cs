using Pcap.Engine.Capture.Linux;
using Xunit;

namespace Pcap.Engine.Tests;

public class FanoutOptionTests
{
    static FanoutOption Parse(string value)
    {
        Assert.True(FanoutOption.TryParse(value, out var option, out string error), error);
        Assert.True(option.HasValue);
        return option.Value;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void UnsetMeansNoFanout(string? value)
    {
        Assert.True(FanoutOption.TryParse(value, out var option, out _));
        Assert.Null(option);
    }

    // The setsockopt value: group id in the low 16 bits, PACKET_FANOUT_* mode and flags above.
    [Theory]
    [InlineData("7", 7 | 0 << 16)]
    [InlineData("7:hash", 7 | 0 << 16)]
    [InlineData("65535:lb", 65535 | 1 << 16)]
    [InlineData("0:cpu", 0 | 2 << 16)]
    [InlineData("3:rollover", 3 | 3 << 16)]
    [InlineData("3:random", 3 | 4 << 16)]
    [InlineData("3:qm", 3 | 5 << 16)]
    [InlineData("9:hash,defrag", 9 | 0x8000 << 16)]
    [InlineData("9:lb,defrag,rollover", 9 | (1 | 0x8000 | 0x1000) << 16)]
    [InlineData("9,rollover", 9 | 0x1000 << 16)]
    public void ValueIsIdModeAndFlags(string value, int expected) => Assert.Equal(expected, Parse(value).SocketOptionValue);

    [Theory]
    [InlineData("65536", "fanout group id \"65536\"")]
    [InlineData("-1", "fanout group id \"-1\"")]
    [InlineData("x:hash", "fanout group id \"x\"")]
    [InlineData(":hash", "fanout group id \"\"")]
    [InlineData("4:bogus", "unknown fanout mode \"bogus\"")]
    [InlineData("4:", "unknown fanout mode \"\"")]
    [InlineData("4:hash,fast", "unknown fanout flag \"fast\"")]
    public void BadValuesAreActivationErrors(string value, string text)
    {
        Assert.False(FanoutOption.TryParse(value, out var option, out string error));
        Assert.Null(option);
        Assert.StartsWith("PCAP_FANOUT: ", error);
        Assert.Contains(text, error);
    }
}
