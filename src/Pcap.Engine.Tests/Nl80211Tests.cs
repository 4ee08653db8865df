using System;
using System.Buffers.Binary;
using Pcap.Engine.Capture.Wireless;
using Xunit;

namespace Pcap.Engine.Tests;

/// <summary>
/// The nl80211 messages of monitor mode over fake memory: the requests as linux/netlink.h,
/// genetlink.h and nl80211.h lay them out, the kernel's replies read back, and libnl's errors.
/// </summary>
public class Nl80211Tests
{
    static (ushort Type, ushort Flags, uint Seq, byte Command, int Length) Header(ReadOnlySpan<byte> m) =>
        (BinaryPrimitives.ReadUInt16LittleEndian(m[4..]), BinaryPrimitives.ReadUInt16LittleEndian(m[6..]),
         BinaryPrimitives.ReadUInt32LittleEndian(m[8..]), m[16], (int)BinaryPrimitives.ReadUInt32LittleEndian(m));

    /// <summary>The attributes after the generic-netlink header: (type, data) in order.</summary>
    static (ushort Type, byte[] Data)[] Attributes(ReadOnlySpan<byte> m)
    {
        var list = new System.Collections.Generic.List<(ushort, byte[])>();
        int end = (int)BinaryPrimitives.ReadUInt32LittleEndian(m);
        for (int at = 20; at + 4 <= end;)
        {
            int len = BinaryPrimitives.ReadUInt16LittleEndian(m[at..]);
            list.Add((BinaryPrimitives.ReadUInt16LittleEndian(m[(at + 2)..]), m.Slice(at + 4, len - 4).ToArray()));
            at += (len + 3) & ~3;
        }
        return [.. list];
    }

    [Fact]
    public void AsksTheControllerForNl80211()
    {
        var buffer = new byte[Nl80211.RequestSize];
        int n = Nl80211.GetFamily(buffer, 77, "nl80211");
        var h = Header(buffer);
        Assert.Equal((16, 1 | 4, 77u, 3, n), (h.Type, h.Flags, h.Seq, h.Command, h.Length)); // GENL_ID_CTRL, CTRL_CMD_GETFAMILY
        var attrs = Attributes(buffer);
        Assert.Single(attrs);
        Assert.Equal(2, attrs[0].Type); // CTRL_ATTR_FAMILY_NAME
        Assert.Equal("nl80211\0"u8.ToArray(), attrs[0].Data);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AddsAMonitorInterfaceAsLibpcap(bool owned)
    {
        var buffer = new byte[Nl80211.RequestSize];
        int n = Nl80211.NewMonitorInterface(buffer, 0x1c, 9, 4, "mon12", owned);
        var h = Header(buffer);
        Assert.Equal((0x1c, 1 | 4, 9u, 7, n), (h.Type, h.Flags, h.Seq, h.Command, h.Length)); // NL80211_CMD_NEW_INTERFACE
        Assert.Equal(0, n % 4);
        var attrs = Attributes(buffer);
        Assert.Equal(owned ? 4 : 3, attrs.Length);
        Assert.Equal((ushort)3, attrs[0].Type); // IFINDEX
        Assert.Equal(4u, BinaryPrimitives.ReadUInt32LittleEndian(attrs[0].Data));
        Assert.Equal((ushort)4, attrs[1].Type); // IFNAME, NUL-terminated
        Assert.Equal("mon12\0"u8.ToArray(), attrs[1].Data);
        Assert.Equal((ushort)5, attrs[2].Type); // IFTYPE
        Assert.Equal(6u, BinaryPrimitives.ReadUInt32LittleEndian(attrs[2].Data)); // NL80211_IFTYPE_MONITOR
        if (owned)
        {
            Assert.Equal((ushort)204, attrs[3].Type); // SOCKET_OWNER, a flag
            Assert.Empty(attrs[3].Data);
        }
    }

    [Fact]
    public void DeletesByIndex()
    {
        var buffer = new byte[Nl80211.RequestSize];
        int n = Nl80211.DeleteInterface(buffer, 0x1c, 10, 31);
        Assert.Equal(8, Header(buffer).Command); // NL80211_CMD_DEL_INTERFACE
        var attrs = Attributes(buffer);
        Assert.Equal(20 + 8, n);
        Assert.Equal(31u, BinaryPrimitives.ReadUInt32LittleEndian(Assert.Single(attrs).Data));
    }

    static byte[] Message(ushort type, uint seq, byte[] body)
    {
        var m = new byte[(16 + body.Length + 3) & ~3];
        BinaryPrimitives.WriteUInt32LittleEndian(m, (uint)(16 + body.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(4), type);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(8), seq);
        body.CopyTo(m, 16);
        return m;
    }

    static byte[] Ack(uint seq, int errno)
    {
        var body = new byte[20];
        BinaryPrimitives.WriteInt32LittleEndian(body, -errno);
        return Message(2, seq, body);
    }

    [Fact]
    public void ReadsTheFamilyIdThenTheAck()
    {
        // CTRL_CMD_NEWFAMILY: genlmsghdr, CTRL_ATTR_FAMILY_NAME "nl80211", CTRL_ATTR_FAMILY_ID 0x1c.
        byte[] body = [1, 2, 0, 0, 12, 0, 2, 0, .. "nl80211\0"u8, 6, 0, 1, 0, 0x1c, 0, 0, 0];
        byte[] data = [.. Message(16, 5, body), .. Ack(5, 0)];
        ushort family = 0;
        Assert.True(Nl80211.ReadReply(data, 5, ref family, out int error));
        Assert.Equal(0, error);
        Assert.Equal(0x1c, family);
    }

    [Fact]
    public void KeepsReadingUntilItsOwnAck()
    {
        ushort family = 0;
        Assert.False(Nl80211.ReadReply(Ack(4, 0), 5, ref family, out _)); // another request's
        Assert.True(Nl80211.ReadReply([.. Ack(4, 0), .. Ack(5, 23)], 5, ref family, out int error));
        Assert.Equal(23, error);
        Assert.False(Nl80211.ReadReply(new byte[10], 5, ref family, out _)); // shorter than a header
        var cut = Ack(5, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(cut, 400); // a length past the data
        Assert.False(Nl80211.ReadReply(cut, 5, ref family, out _));
    }

    [Theory]
    [InlineData(23, true, "Unspecific failure")]       // ENFILE: the name is taken, libpcap tries the next
    [InlineData(1, false, "Operation not permitted")]
    [InlineData(95, false, "Operation not supported")]
    [InlineData(16, false, "Object busy")]
    [InlineData(19, false, "No such device")]
    [InlineData(22, false, "Invalid input data or parameter")]
    [InlineData(17, false, "Object exists")]
    public void MapsErrorsAsLibnl(int errno, bool nextName, string text)
    {
        Assert.Equal(nextName, Nl80211.NameUnavailable(errno));
        Assert.Equal(text, Nl80211.ErrorText(errno));
    }
}
