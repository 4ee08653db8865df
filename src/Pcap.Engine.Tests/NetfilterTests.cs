using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Pcap.Engine.Capture.Netfilter;
using Xunit;

namespace Pcap.Engine.Tests;

/// <summary>The netfilter module's pure parts over fake memory: names, group lists, nfnetlink messages.</summary>
public class NetfilterTests
{
    [Theory]
    [InlineData("nflog", true)]
    [InlineData("nflog:5", true)]
    [InlineData("nfqueue", true)]
    [InlineData("nfqueue:1,2", true)]
    [InlineData("nflogx", false)]
    [InlineData("nfqueue0", false)]
    [InlineData("x/nflog", false)] // Debian's libpcap 1.10.3 leaves it to the Linux module
    [InlineData("eth0", false)]
    public void ClaimsLibpcapsNames(string device, bool claimed) =>
        Assert.Equal(claimed, new NetfilterCaptureModule().Claims(device));

    [Theory]
    [InlineData("nflog", false, new ushort[] { 0 })]
    [InlineData("nflog:", false, new ushort[] { 0 })]
    [InlineData("nflog:5", false, new ushort[] { 5 })]
    [InlineData("nfqueue:1,2,65535", true, new ushort[] { 1, 2, 65535 })]
    [InlineData("nflog:0x10,010", false, new ushort[] { 16, 8 })] // strtol base 0, as libpcap
    [InlineData("nflog:1,", false, new ushort[] { 1 })]
    public void ParsesGroupsAsLibpcap(string device, bool queue, ushort[] groups)
    {
        Assert.True(NetfilterGroups.Parse(device, out bool isQueue, out ushort[] parsed, out string error), error);
        Assert.Equal(queue, isQueue);
        Assert.Equal(groups, parsed);
    }

    [Theory]
    [InlineData("nflog:abc", "Can't get netfilter group(s) index from nflog:abc")]
    [InlineData("nflog:5x", "Can't get netfilter group(s) index from nflog:5x")]
    [InlineData("nfqueue:70000", "Netfilter group range from 0 to 65535 (got 70000)")]
    [InlineData("nfqueue:-1", "Netfilter group range from 0 to 65535 (got -1)")]
    public void RefusesBadGroupsWithLibpcapsText(string device, string text)
    {
        Assert.False(NetfilterGroups.Parse(device, out _, out _, out string error));
        Assert.Equal(text, error);
    }

    [Fact]
    public void RefusesAThirtyThirdGroup()
    {
        var names = new List<string>();
        for (int i = 1; i <= 33; i++) names.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        string device = "nflog:" + string.Join(',', names);
        Assert.False(NetfilterGroups.Parse(device, out _, out _, out string error));
        Assert.Equal("Maximum 32 netfilter groups! dev: " + device, error);
        Assert.True(NetfilterGroups.Parse("nflog:" + string.Join(',', names.GetRange(0, 32)), out _, out var groups, out _));
        Assert.Equal(32, groups.Length);
    }

    [Fact]
    public void WritesAVerdictAsTheKernelReadsIt()
    {
        var buffer = new byte[64];
        byte[] verdict = [0, 0, 0, 1, 0, 0, 0, 42];
        int n = Nfnetlink.Write(buffer, Nfnetlink.Type(Nfnetlink.SubsysQueue, Nfnetlink.QueueVerdict), Nfnetlink.Request,
            7, 0, 300, Nfnetlink.QueueVerdictHdr, verdict);
        Assert.Equal(32, n); // header 16 + nfgenmsg 4 + attribute 12
        Assert.Equal(32u, Nfnetlink.Length(buffer));
        Assert.Equal((3 << 8) | 1, Nfnetlink.MessageType(buffer));
        Assert.Equal(Nfnetlink.Request, Nfnetlink.Flags(buffer));
        Assert.Equal(7u, Nfnetlink.Sequence(buffer));
        Assert.Equal(300, Nfnetlink.ResourceId(buffer));
        Assert.Equal(12, BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(20)));
        Assert.Equal(Nfnetlink.QueueVerdictHdr, BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(22)));
        Assert.Equal(verdict, buffer.AsSpan(24, 8).ToArray());
    }

    [Fact]
    public void PadsAttributesAndWritesTwo()
    {
        var buffer = new byte[64];
        byte[] five = [1, 2, 3, 4, 5], flag = [0, 0, 0, 1];
        int n = Nfnetlink.Write(buffer, Nfnetlink.Type(Nfnetlink.SubsysQueue, Nfnetlink.QueueConfig), Nfnetlink.Request | Nfnetlink.Ack,
            1, 0, 9, Nfnetlink.QueueCfgParams, five, Nfnetlink.QueueCfgMask, flag);
        Assert.Equal(20 + 12 + 8, n);
        var walk = Nfnetlink.Attributes(buffer, n);
        Assert.True(walk.Next());
        Assert.Equal(Nfnetlink.QueueCfgParams, walk.Type);
        Assert.Equal(5, walk.DataLength);
        Assert.Equal(five, buffer.AsSpan(walk.DataOffset, 5).ToArray());
        Assert.True(walk.Next());
        Assert.Equal(Nfnetlink.QueueCfgMask, walk.Type);
        Assert.Equal(flag, buffer.AsSpan(walk.DataOffset, 4).ToArray());
        Assert.False(walk.Next());
    }

    [Fact]
    public void StopsAtAnAttributeThatRunsPastTheMessage()
    {
        var buffer = new byte[40];
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(20), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(22), 0x800a); // nested flag masked off
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(28), 200);   // longer than the message
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(30), 9);
        var walk = Nfnetlink.Attributes(buffer, 40);
        Assert.True(walk.Next());
        Assert.Equal(10, walk.Type);
        Assert.False(walk.Next());
        var empty = Nfnetlink.Attributes(buffer, 20);
        Assert.False(empty.Next());
    }
}
