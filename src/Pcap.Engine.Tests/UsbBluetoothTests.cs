using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Pcap.Engine.Capture;
using Pcap.Engine.Capture.Bluetooth;
using Pcap.Engine.Capture.Usb;
using Pcap.Engine.Handles;
using Xunit;

namespace Pcap.Engine.Tests;

/// <summary>The usbmon and Bluetooth modules' pure parts over fake memory: names, usbmon events and ring walks, HCI control messages and pseudo-headers.</summary>
public unsafe class UsbBluetoothTests
{
    [Theory]
    [InlineData("usbmon0", true)]
    [InlineData("usbmon12", true)]
    [InlineData("usbmon+1", true)]   // strtol's sign
    [InlineData("usbmon 1", true)]   // strtol's blanks
    [InlineData("usbmon-0", true)]   // -0 is not below 0
    [InlineData("usbmon-1", false)]
    [InlineData("usbmon", false)]
    [InlineData("usbmon1x", false)]
    [InlineData("/dev/usbmon0", false)] // libpcap compares from the '/' on
    [InlineData("xusbmon0", false)]
    public void ClaimsUsbmonNamesAsLibpcap(string device, bool claimed) =>
        Assert.Equal(claimed, new UsbCaptureModule().Claims(device));

    [Theory]
    [InlineData("bluetooth0", true)]
    [InlineData("bluetooth-monitor", true)]
    [InlineData("bluetooth", false)]
    [InlineData("bluetooth-1", false)]
    [InlineData("hci0", false)]
    [InlineData("/x/bluetooth0", false)]
    [InlineData("/bluetooth-monitor", false)]
    public void ClaimsBluetoothNamesAsLibpcap(string device, bool claimed) =>
        Assert.Equal(claimed, new BluetoothCaptureModule().Claims(device));

    [Theory]
    [InlineData("usbmon3", true, 3)]
    [InlineData("usbmon+7", true, 7)]
    [InlineData("usbmon 2", true, 2)]
    [InlineData("usbmon5x", true, 5)] // sscanf stops at the first non-digit
    [InlineData("/dev/usbmon0", false, 0)]
    [InlineData("usbmonx", false, 0)]
    public void ScansTheNumberAsSscanf(string device, bool found, int number)
    {
        Assert.Equal(found, DeviceNumber.Scan(device, "usbmon", out int n));
        Assert.Equal(number, n);
    }

    [Theory]
    [InlineData(262144, 1200 * 1024, 64 + 1200 * 1024 / 5)] // MAXIMUM_SNAPLEN: the largest ring, the snapshot lowered
    [InlineData(100, 8 * 1024, 100)]                        // the smallest ring, the snapshot kept
    [InlineData(10, 8 * 1024, 64)]                          // never below the header
    [InlineData(64 + 100000, 500000, 64 + 100000)]
    public void SizesTheRingAsLibpcap(int snapshot, int ring, int snapshotAfter)
    {
        Assert.Equal(ring, Usbmon.RingSize(ref snapshot));
        Assert.Equal(snapshotAfter, snapshot);
    }

    /// <summary>A mon_bin_hdr as the kernel writes it.</summary>
    static void WriteEvent(byte[] ring, int at, char type, byte transfer, byte endpoint, bool noData, uint urbLength, uint dataLength, uint descriptors = 0)
    {
        var e = ring.AsSpan(at);
        BinaryPrimitives.WriteUInt64LittleEndian(e, 0xffff888012345678);
        e[8] = (byte)type;
        e[9] = transfer;
        e[10] = endpoint;
        e[11] = 2;
        BinaryPrimitives.WriteUInt16LittleEndian(e[12..], 1);
        e[14] = (byte)'s';
        e[15] = noData ? (byte)'<' : (byte)0;
        BinaryPrimitives.WriteInt64LittleEndian(e[16..], 1700000000);
        BinaryPrimitives.WriteInt32LittleEndian(e[24..], 123456);
        BinaryPrimitives.WriteUInt32LittleEndian(e[32..], urbLength);
        BinaryPrimitives.WriteUInt32LittleEndian(e[36..], dataLength);
        BinaryPrimitives.WriteUInt32LittleEndian(e[60..], descriptors);
    }

    [Fact]
    public void AnEventWithDataIsCutToTheSnapshotAndKeepsItsUrbLength()
    {
        var ring = new byte[256];
        WriteEvent(ring, 0, 'C', 2, 0x80, false, 18, 18);
        fixed (byte* r = ring)
        {
            var h = UsbmonEvent.Header(r, 1000);
            Assert.Equal(1700000000, h.TvSec);
            Assert.Equal(123456, h.TvUsec);
            Assert.Equal(64u + 18, h.CapLen);
            Assert.Equal(64u + 18, h.Len);
            h = UsbmonEvent.Header(r, 6);
            Assert.Equal(64u + 6, h.CapLen);
            Assert.Equal(64u + 18, h.Len);
        }
    }

    [Fact]
    public void AnEventWithoutDataTakesItsLengthFromTheDataLength()
    {
        var ring = new byte[256];
        WriteEvent(ring, 0, 'S', 2, 0x80, true, 18, 0);
        fixed (byte* r = ring)
        {
            var h = UsbmonEvent.Header(r, 1000);
            Assert.Equal(64u, h.CapLen);
            Assert.Equal(64u, h.Len); // not the 18 bytes the URB asks for
        }
    }

    [Fact]
    public void AnIncomingIsochronousCompletionRunsToItsLastChunk()
    {
        var ring = new byte[512];
        // Two descriptors: 100 bytes at 0, 50 bytes at 300; the URB's length says 150.
        WriteEvent(ring, 0, 'C', 0, 0x81, false, 150, 32 + 150, 2);
        var d = ring.AsSpan(64);
        BinaryPrimitives.WriteUInt32LittleEndian(d[4..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(d[8..], 100);
        BinaryPrimitives.WriteUInt32LittleEndian(d[20..], 300);
        BinaryPrimitives.WriteUInt32LittleEndian(d[24..], 50);
        fixed (byte* r = ring)
        {
            var h = UsbmonEvent.Header(r, 1000);
            Assert.Equal(64u + 32 + 150, h.CapLen);
            Assert.Equal(64u + 32 + 350, h.Len);
            // Cut inside the descriptors: none read, so the data ends at 0 (libpcap's answer), and the
            // length is never below the captured length.
            h = UsbmonEvent.Header(r, 8);
            Assert.Equal(64u + 8, h.CapLen);
            Assert.Equal(64u + 32, h.Len);
            h = UsbmonEvent.Header(r, 16);
            Assert.Equal(64u + 16, h.CapLen);
            Assert.Equal(64u + 32 + 100, h.Len);
        }
        // Outgoing: left as the URB's length says.
        WriteEvent(ring, 0, 'C', 0, 0x01, false, 150, 32 + 150, 2);
        fixed (byte* r = ring)
            Assert.Equal(64u + 32 + 150, UsbmonEvent.Header(r, 1000).Len);
    }

    [Fact]
    public void TheRingWalkSkipsFillersAndMarksEachEvent()
    {
        var ring = new byte[1024];
        WriteEvent(ring, 0, 'S', 2, 0x80, true, 18, 0);
        WriteEvent(ring, 128, '@', 0, 0, true, 0, 0);
        WriteEvent(ring, 256, 'C', 2, 0x80, false, 18, 18);
        WriteEvent(ring, 512, 'S', 2, 0x80, true, 9, 0);
        int* offsets = stackalloc int[] { 0, 128, 256, 512 };
        using var batch = new PacketBatch();
        fixed (byte* r = ring)
        {
            int next = UsbmonRing.Fill(r, offsets, 0, 4, 1000, null, batch, 2);
            Assert.Equal(3, next); // room for two: the filler passed over, the fourth left
            Assert.Equal(2, batch.Count);
            Assert.Equal(0, batch.MarkOf(0));
            Assert.Equal(2, batch.MarkOf(1));
            using var rest = new PacketBatch();
            Assert.Equal(4, UsbmonRing.Fill(r, offsets, next, 4, 1000, null, rest, int.MaxValue));
            Assert.Equal(1, rest.Count);
            Assert.Equal(3, rest.MarkOf(0));
        }
    }

    static byte[] Cmsg(int level, int type, byte[] data)
    {
        var c = new byte[16 + ((data.Length + 7) & ~7)];
        BinaryPrimitives.WriteInt64LittleEndian(c, 16 + data.Length);
        BinaryPrimitives.WriteInt32LittleEndian(c.AsSpan(8), level);
        BinaryPrimitives.WriteInt32LittleEndian(c.AsSpan(12), type);
        data.CopyTo(c, 16);
        return c;
    }

    static byte[] TimeVal(long sec, long usec)
    {
        var t = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(t, sec);
        BinaryPrimitives.WriteInt64LittleEndian(t.AsSpan(8), usec);
        return t;
    }

    [Fact]
    public void HciControlGivesDirectionAndTimeStamp()
    {
        byte[] control = [.. Cmsg(0, 1, BitConverter.GetBytes(1)), .. Cmsg(0, 2, TimeVal(1700000001, 42))];
        var h = new PacketHeader();
        bool incoming;
        fixed (byte* c = control)
            HciPacket.ReadHciControl(c, control.Length, out incoming, ref h);
        Assert.True(incoming);
        Assert.Equal(1700000001, h.TvSec);
        Assert.Equal(42, h.TvUsec);
        byte[] outgoing = Cmsg(0, 1, BitConverter.GetBytes(0));
        fixed (byte* c = outgoing)
        {
            HciPacket.ReadHciControl(c, outgoing.Length, out incoming, ref h);
            Assert.False(incoming);
            // A length past the buffer ends the walk.
            BinaryPrimitives.WriteInt64LittleEndian(outgoing, 4096);
            HciPacket.ReadHciControl(c, outgoing.Length, out incoming, ref h);
            Assert.False(incoming);
        }
    }

    [Fact]
    public void MonitorControlTakesOnlySocketLevelTimeStamps()
    {
        byte[] control = Cmsg(1, 29, TimeVal(5, 6));
        var h = new PacketHeader { TvSec = 99 };
        fixed (byte* c = control)
            HciPacket.ReadMonitorControl(c, control.Length, ref h);
        Assert.Equal(5, h.TvSec);
        Assert.Equal(6, h.TvUsec);
        control = Cmsg(0, 29, TimeVal(5, 6));
        fixed (byte* c = control)
            HciPacket.ReadMonitorControl(c, control.Length, ref h);
        Assert.Equal(0, h.TvSec); // libpcap zeroes the stamp first
    }

    [Fact]
    public void PseudoHeadersAreBigEndian()
    {
        byte* h4 = stackalloc byte[4];
        HciPacket.WriteH4Header(h4, true);
        Assert.Equal(new byte[] { 0, 0, 0, 1 }, new ReadOnlySpan<byte>(h4, 4).ToArray());
        HciPacket.WriteH4Header(h4, false);
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, new ReadOnlySpan<byte>(h4, 4).ToArray());
        byte* mon = stackalloc byte[] { 0x02, 0x00, 0x03, 0x00, 0x10, 0x00 }; // opcode 2, index 3, length 16 (host order)
        byte* phdr = stackalloc byte[4];
        HciPacket.WriteMonitorHeader(phdr, mon);
        Assert.Equal(new byte[] { 0, 3, 0, 2 }, new ReadOnlySpan<byte>(phdr, 4).ToArray());
    }
}
