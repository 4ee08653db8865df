using System.Runtime.InteropServices;
using Pcap.Engine.Capture.Netmap;
using Xunit;

namespace Pcap.Engine.Tests;

/// <summary>Every struct offset and ioctl number of the netmap ABI, pinned to the facts doc (sections 1.3-1.8).</summary>
public unsafe class NetmapAbiTests
{
    // _IOC(dir, type, nr, size) on Linux: dir << 30 | size << 16 | type << 8 | nr; _IOWR = 3, _IO = 0.
    static uint Ioc(uint dir, uint size, uint nr) => dir << 30 | size << 16 | 'i' << 8 | nr;

    [Fact]
    public void IoctlNumbersAreNetmapsOnLinuxX64()
    {
        Assert.Equal(0xC0586997u, NetmapAbi.NIOCCTRL);
        Assert.Equal(NetmapAbi.NIOCCTRL, Ioc(3, 88, 151));
        Assert.Equal(0x6994u, NetmapAbi.NIOCTXSYNC);
        Assert.Equal(NetmapAbi.NIOCTXSYNC, Ioc(0, 0, 148));
        Assert.Equal(0x6995u, NetmapAbi.NIOCRXSYNC);
        Assert.Equal(NetmapAbi.NIOCRXSYNC, Ioc(0, 0, 149));
    }

    [Fact]
    public void ConstantsAreApi14s()
    {
        Assert.Equal(14, NetmapAbi.Api);
        Assert.Equal(1, NetmapAbi.ReqRegister);
        Assert.Equal(2, NetmapAbi.ReqPortInfoGet);
        Assert.Equal(new uint[] { 1, 2, 3, 4, 7, 8 },
            new[] { NetmapAbi.RegAllNic, NetmapAbi.RegSw, NetmapAbi.RegNicSw, NetmapAbi.RegOneNic, NetmapAbi.RegNull, NetmapAbi.RegOneSw });
        Assert.Equal(new ulong[] { 0x100, 0x200, 0x400, 0x800, 0x2000, 0x4000, 0x20000 },
            new[] { NetmapAbi.MonitorTx, NetmapAbi.MonitorRx, NetmapAbi.ZcopyMon, NetmapAbi.Exclusive, NetmapAbi.RxRingsOnly, NetmapAbi.TxRingsOnly, NetmapAbi.NoTxPoll });
        Assert.Equal(0x2u, NetmapAbi.RingTimestamp);
        Assert.Equal(0x4u, NetmapAbi.RingForward);
        Assert.Equal(0x1, NetmapAbi.SlotBufChanged);
        Assert.Equal(0x4, NetmapAbi.SlotForward);
        Assert.Equal(0x20, NetmapAbi.SlotMoreFrag);
        Assert.Equal(64, NetmapAbi.NameSize);
        Assert.Equal(64, NetmapAbi.MaxFragments);
    }

    [Theory]
    [InlineData(nameof(NmreqHeader.Version), 0)]
    [InlineData(nameof(NmreqHeader.ReqType), 2)]
    [InlineData(nameof(NmreqHeader.Reserved), 4)]
    [InlineData(nameof(NmreqHeader.Name), 8)]
    [InlineData(nameof(NmreqHeader.Options), 72)]
    [InlineData(nameof(NmreqHeader.Body), 80)]
    public void NmreqHeaderLayout(string field, int offset) => Assert.Equal(offset, (int)Marshal.OffsetOf<NmreqHeader>(field));

    [Theory]
    [InlineData(nameof(NmreqRegister.Offset), 0)]
    [InlineData(nameof(NmreqRegister.MemSize), 8)]
    [InlineData(nameof(NmreqRegister.TxSlots), 16)]
    [InlineData(nameof(NmreqRegister.RxSlots), 20)]
    [InlineData(nameof(NmreqRegister.TxRings), 24)]
    [InlineData(nameof(NmreqRegister.RxRings), 26)]
    [InlineData(nameof(NmreqRegister.HostTxRings), 28)]
    [InlineData(nameof(NmreqRegister.HostRxRings), 30)]
    [InlineData(nameof(NmreqRegister.MemId), 32)]
    [InlineData(nameof(NmreqRegister.RingId), 34)]
    [InlineData(nameof(NmreqRegister.Mode), 36)]
    [InlineData(nameof(NmreqRegister.ExtraBufs), 40)]
    [InlineData(nameof(NmreqRegister.Flags), 48)]
    public void NmreqRegisterLayout(string field, int offset) => Assert.Equal(offset, (int)Marshal.OffsetOf<NmreqRegister>(field));

    [Theory]
    [InlineData(nameof(NetmapIf.Name), 0)]
    [InlineData(nameof(NetmapIf.Version), 16)]
    [InlineData(nameof(NetmapIf.Flags), 20)]
    [InlineData(nameof(NetmapIf.TxRings), 24)]
    [InlineData(nameof(NetmapIf.RxRings), 28)]
    [InlineData(nameof(NetmapIf.BufsHead), 32)]
    [InlineData(nameof(NetmapIf.HostTxRings), 36)]
    [InlineData(nameof(NetmapIf.HostRxRings), 40)]
    public void NetmapIfLayout(string field, int offset) => Assert.Equal(offset, (int)Marshal.OffsetOf<NetmapIf>(field));

    [Theory]
    [InlineData(nameof(NetmapRing.BufOffset), 0)]
    [InlineData(nameof(NetmapRing.NumSlots), 8)]
    [InlineData(nameof(NetmapRing.BufSize), 12)]
    [InlineData(nameof(NetmapRing.RingId), 16)]
    [InlineData(nameof(NetmapRing.Dir), 18)]
    [InlineData(nameof(NetmapRing.Head), 20)]
    [InlineData(nameof(NetmapRing.Cur), 24)]
    [InlineData(nameof(NetmapRing.Tail), 28)]
    [InlineData(nameof(NetmapRing.Flags), 32)]
    [InlineData(nameof(NetmapRing.TsSec), 40)]
    [InlineData(nameof(NetmapRing.TsUsec), 48)]
    [InlineData(nameof(NetmapRing.OffsetMask), 56)]
    [InlineData(nameof(NetmapRing.BufAlign), 64)]
    public void NetmapRingLayout(string field, int offset) => Assert.Equal(offset, (int)Marshal.OffsetOf<NetmapRing>(field));

    [Theory]
    [InlineData(nameof(NetmapSlot.BufIdx), 0)]
    [InlineData(nameof(NetmapSlot.Len), 4)]
    [InlineData(nameof(NetmapSlot.Flags), 6)]
    [InlineData(nameof(NetmapSlot.Ptr), 8)]
    public void NetmapSlotLayout(string field, int offset) => Assert.Equal(offset, (int)Marshal.OffsetOf<NetmapSlot>(field));

    [Fact]
    public void Sizes()
    {
        Assert.Equal(88, sizeof(NmreqHeader));
        Assert.Equal(56, sizeof(NmreqRegister));
        Assert.Equal(56, sizeof(NetmapIf));
        Assert.Equal(56, NetmapIf.RingOffsets);
        Assert.Equal(256, sizeof(NetmapRing));
        Assert.Equal(256, NetmapRing.SlotsOffset);
        Assert.Equal(16, sizeof(NetmapSlot));
    }

    [Fact]
    public void RxRingsFollowTheTxRingsInRingOfs()
    {
        using var region = new FakeNetmapRegion(slots: 8, bufferSize: 64);
        // ring_ofs order: hw TX, host TX, hw RX, host RX (facts 1.7/1.8).
        Assert.Equal(0, NetmapIf.Ring(region.Nifp, 0)->Dir);
        Assert.Equal(0, NetmapIf.Ring(region.Nifp, 1)->Dir);
        Assert.True(region.Rx(host: false) == NetmapIf.Ring(region.Nifp, 2));
        Assert.True(region.Rx(host: true) == NetmapIf.Ring(region.Nifp, 3));
    }

    [Fact]
    public void BufferAddressIsRingPlusBufOfsPlusIndexTimesSize()
    {
        using var region = new FakeNetmapRegion(slots: 8, bufferSize: 64);
        NetmapRing* ring = region.Rx(host: false);
        NetmapSlot* slot = NetmapRing.Slot(ring, 3);
        Assert.True((byte*)slot == (byte*)ring + 256 + 3 * 16);
        Assert.True(NetmapRing.Buffer(ring, slot) == (byte*)ring + ring->BufOffset + slot->BufIdx * 64L);
        Assert.True(NetmapRing.Buffer(ring, slot) == region.BufferBase + slot->BufIdx * 64L);
    }
}
