using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using Pcap.Engine.Compiler;
using Xunit;

namespace Pcap.Engine.Tests;

/// <summary>
/// pcap_compile's refusals are values, not exceptions (libpcap longjmps; an exception costs microseconds of
/// unwinding): every kind of refusal the front end makes is reported by TryCompile with no exception thrown
/// on the compiling thread, and with libpcap's text (the system libpcap's, run on the same expression).
/// </summary>
public class CompilerRefusalTests
{
    [Theory]
    [InlineData("host", 1, "can't parse filter expression: syntax error")]                              // bison
    [InlineData("port 99999999999", 1, "number 99999999999 overflows 32 bits")]                        // scanner
    [InlineData("port 09", 1, "number 09 contains non-octal digit")]                                  // scanner
    [InlineData("ip6 host 1.2.3.4", 1, "'ip6' modifier applied to ip host")]                          // gencode
    [InlineData("tcp port 1 and udp port 99999", 1, "illegal port number 99999 > 65535")]             // gencode, second primitive
    [InlineData("1 / 0 = 1", 1, "division by zero")]                                                  // gencode arithmetic
    [InlineData("ip[0:3] = 1", 1, "data size must be 1, 2, or 4")]                                   // gencode arithmetic
    [InlineData("type data", 1, "802.11 link-layer types supported only on 802.11")]                  // gencode
    [InlineData("type bogus", 105, "unknown 802.11 type name \"bogus\"")]                              // grammar lookup
    [InlineData("reason bogus", 117, "unknown PF reason \"bogus\"")]                                   // grammar lookup
    [InlineData("ifname x", 1, "ifname supported only on PF linktype")]                               // gencode
    [InlineData("proto bogus-proto-name", 1, "unknown ip proto 'bogus-proto-name'")]                  // gencode lookup
    [InlineData("ip and not ip", 1, "expression rejects all packets")]                                // optimiser's verdict
    [InlineData("", 2, "unknown data link type 2 (min 104, max 289)")]                                // link type
    public void RefusalIsReportedWithoutAnException(string expression, int dlt, string text)
    {
        int thrown = 0, thread = Environment.CurrentManagedThreadId;
        EventHandler<FirstChanceExceptionEventArgs> count = (_, _) => { if (Environment.CurrentManagedThreadId == thread) Interlocked.Increment(ref thrown); };
        AppDomain.CurrentDomain.FirstChanceException += count;
        bool ok;
        string error;
        try { ok = FilterCompiler.TryCompile(expression, dlt, 262144, true, 0xffffff00, out _, out error); }
        finally { AppDomain.CurrentDomain.FirstChanceException -= count; }
        Assert.False(ok);
        Assert.Equal(0, thrown);
        Assert.Equal(text, error);
        if (CompilerReference.TryLoad() is { } reference)
            Assert.Equal(reference.Compile(expression, dlt, 262144, true, 0xffffff00).Error, error);
    }

    [Fact]
    public void ManyRegistersRunOutWithoutAnException()
    {
        // 17 values held at once: gencode has 16 scratch registers.
        string deep = string.Concat(System.Linq.Enumerable.Repeat("1 + (", 16)) + "1" + new string(')', 16) + " = 1";
        int thrown = 0, thread = Environment.CurrentManagedThreadId;
        EventHandler<FirstChanceExceptionEventArgs> count = (_, _) => { if (Environment.CurrentManagedThreadId == thread) Interlocked.Increment(ref thrown); };
        AppDomain.CurrentDomain.FirstChanceException += count;
        bool ok;
        string error;
        try { ok = FilterCompiler.TryCompile(deep, 1, 262144, true, 0xffffff00, out _, out error); }
        finally { AppDomain.CurrentDomain.FirstChanceException -= count; }
        Assert.False(ok);
        Assert.Equal(0, thrown);
        Assert.Equal("too many registers needed to evaluate expression", error);
        if (CompilerReference.TryLoad() is { } reference)
            Assert.Equal(reference.Compile(deep, 1, 262144, true, 0xffffff00).Error, error);
    }

    [Fact]
    public void AcceptedExpressionGivesAProgram()
    {
        Assert.True(FilterCompiler.TryCompile("tcp port 80", 1, 262144, true, 0xffffff00, out var program, out string error));
        Assert.NotEmpty(program);
        Assert.Equal("", error);
    }
}
