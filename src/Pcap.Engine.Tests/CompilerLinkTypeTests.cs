using Pcap.Engine.Compiler;
using Pcap.Engine.Handles;
using Xunit;

namespace Pcap.Engine.Tests;

public class CompilerLinkTypeTests
{
    // tcpdump compiles "" on every savefile; libpcap 1.10.3 accepts it on these link types, one instruction.
    [Theory]
    [InlineData(7)] [InlineData(19)] [InlineData(99)] [InlineData(107)] [InlineData(149)] [InlineData(226)] [InlineData(284)] [InlineData(289)]
    public void EmptyExpressionIsAcceptAllOnLinkTypesWithoutALayout(int dlt)
    {
        Assert.True(FilterCompiler.TryCompile("", dlt, 1234, true, 0xffffffff, out var program, out _));
        Assert.Single(program);
        Assert.Equal(0x06, program[0].Code);
        Assert.Equal(1234u, program[0].K);
    }

    [Theory]
    [InlineData(2)] [InlineData(103)] [InlineData(290)]
    public void UnknownLinkTypesAreRefusedWithLibpcapsText(int dlt)
    {
        Assert.False(FilterCompiler.TryCompile("", dlt, 65535, true, 0xffffffff, out _, out string error));
        Assert.Equal($"unknown data link type {dlt} (min 104, max 289)", error);
    }
}
