using System;
using System.Collections.Generic;
using Pcap.Engine.Bpf;
using Pcap.Engine.Capture.Netmap;
using Pcap.Engine.Handles;
using Xunit;

namespace Pcap.Engine.Tests;

/// <summary>The ring walk of the netmap module over a region in ordinary memory (no /dev/netmap needed).</summary>
public unsafe class NetmapReceiverTests
{
    sealed class Recorder : IPacketSink
    {
        public readonly List<(PacketHeader Header, IntPtr Data, byte[] Bytes)> Packets = [];

        public void Packet(PacketHeader* header, byte* data) =>
            Packets.Add((*header, (IntPtr)data, new ReadOnlySpan<byte>(data, (int)header->CapLen).ToArray()));
    }

    // A pcap_breakloop from the callback: sets the handle's break flag at the given packet.
    sealed class BreakingRecorder(HandleBlock* block, int at) : IPacketSink
    {
        public readonly Recorder Seen = new();

        public void Packet(PacketHeader* header, byte* data)
        {
            Seen.Packet(header, data);
            if (Seen.Packets.Count == at) block->BreakLoop = 1;
        }
    }

    static byte[] Frame(int length, byte seed)
    {
        var f = new byte[length];
        for (int i = 0; i < length; i++) f[i] = (byte)(seed + i);
        return f;
    }

    static Program Accept(uint k) => new([new Instruction(0x06, 0, 0, k)]); // ret #k

    [Fact]
    public void DeliversStraightFromTheNetmapBuffer()
    {
        using var region = new FakeNetmapRegion(8, 2048);
        region.Receive(false, Frame(60, 1));
        using var rx = new NetmapReceiver(region.Nifp, false);
        var sink = new Recorder();
        Assert.Equal(1, rx.Deliver(0, null, sink));
        NetmapRing* ring = region.Rx(false);
        Assert.Equal((IntPtr)NetmapRing.Buffer(ring, NetmapRing.Slot(ring, 0)), sink.Packets[0].Data);
        Assert.Equal(Frame(60, 1), sink.Packets[0].Bytes);
        Assert.Equal(60u, sink.Packets[0].Header.Len);
        // pcap_next_ex's packet: its slot stays the program's (head before it) until the next read,
        // but cur is past it, so poll no longer reports the ring readable.
        Assert.Equal(0u, ring->Head);
        Assert.Equal(1u, ring->Cur);
        Assert.False(rx.HasPackets);
        rx.ReleaseHeld();
        Assert.Equal(1u, ring->Head);
        Assert.Equal(1u, ring->Cur);
    }

    [Fact]
    public void TimestampIsTheRingsMicrosecondsOrTheirNanosecondEquivalent()
    {
        using var region = new FakeNetmapRegion(8, 2048);
        region.Receive(false, Frame(60, 1), sec: 42, usec: 654321);
        region.Receive(false, Frame(60, 2), sec: 42, usec: 654321);
        using var rx = new NetmapReceiver(region.Nifp, false);
        var sink = new Recorder();
        rx.Deliver(1, null, sink);
        rx.Precision = TimestampPrecision.Nano;
        rx.Deliver(1, null, sink);
        Assert.Equal((42L, 654321L), (sink.Packets[0].Header.TvSec, sink.Packets[0].Header.TvUsec));
        Assert.Equal((42L, 654321000L), (sink.Packets[1].Header.TvSec, sink.Packets[1].Header.TvUsec));
    }

    [Fact]
    public void RxRingsAskForATimestampAtEverySync()
    {
        using var region = new FakeNetmapRegion(8, 2048);
        using var rx = new NetmapReceiver(region.Nifp, false);
        Assert.Equal(NetmapAbi.RingTimestamp, region.Rx(false)->Flags & NetmapAbi.RingTimestamp);
        Assert.Equal(NetmapAbi.RingTimestamp, region.Rx(true)->Flags & NetmapAbi.RingTimestamp);
        Assert.Equal(0u, region.Tx(false)->Flags);
    }

    [Fact]
    public void CapLenIsTrimmedToTheSnapLength()
    {
        using var region = new FakeNetmapRegion(8, 2048);
        region.Receive(false, Frame(1000, 3));
        using var rx = new NetmapReceiver(region.Nifp, false) { SnapLength = 96 };
        var sink = new Recorder();
        rx.Deliver(0, null, sink);
        Assert.Equal(96u, sink.Packets[0].Header.CapLen);
        Assert.Equal(1000u, sink.Packets[0].Header.Len);
    }

    [Fact]
    public void MoreFragSlotsAreJoinedIntoOnePacket()
    {
        using var region = new FakeNetmapRegion(8, 64);
        region.StartAt(false, 6); // the three fragments wrap around the end of the ring
        region.Receive(false, Frame(150, 7));
        region.Receive(false, Frame(20, 9));
        using var rx = new NetmapReceiver(region.Nifp, false);
        var sink = new Recorder();
        Assert.Equal(2, rx.Deliver(0, null, sink));
        Assert.Equal(150u, sink.Packets[0].Header.Len);
        Assert.Equal(150u, sink.Packets[0].Header.CapLen);
        Assert.Equal(Frame(150, 7), sink.Packets[0].Bytes);
        Assert.Equal(Frame(20, 9), sink.Packets[1].Bytes);
        Assert.Equal(2u, region.Rx(false)->Cur); // 6, 7, 0 then 1
        Assert.Equal(1u, region.Rx(false)->Head); // the last packet handed out stays the program's
    }

    [Fact]
    public void AnIncompleteFragmentChainWaitsForItsLastSlot()
    {
        using var region = new FakeNetmapRegion(8, 64);
        region.Receive(false, Frame(150, 7), publish: false);
        using var rx = new NetmapReceiver(region.Nifp, false);
        var sink = new Recorder();
        Assert.Equal(0, rx.Deliver(0, null, sink));
        Assert.Empty(sink.Packets);
        NetmapRing* ring = region.Rx(false);
        Assert.Equal(0u, ring->Head); // nothing released
        Assert.Equal(ring->Tail, ring->Cur); // wake me when more slots come
        Assert.False(rx.HasPackets);
        ring->Tail = NetmapRing.Next(ring, ring->Tail); // the kernel publishes the last fragment
        Assert.True(rx.HasPackets);
        Assert.Equal(1, rx.Deliver(0, null, sink));
        Assert.Equal(Frame(150, 7), sink.Packets[0].Bytes);
        Assert.Equal(3u, ring->Head);
    }

    [Fact]
    public void MaxPacketsStopsTheWalkAndTheRestStaysInTheRing()
    {
        using var region = new FakeNetmapRegion(8, 2048);
        for (byte i = 0; i < 5; i++) region.Receive(false, Frame(60, i));
        using var rx = new NetmapReceiver(region.Nifp, false);
        var sink = new Recorder();
        Assert.Equal(2, rx.Deliver(2, null, sink));
        Assert.Equal(2u, region.Rx(false)->Cur);
        Assert.True(rx.HasPackets);
        Assert.Equal(3, rx.Deliver(-1, null, sink));
        Assert.False(rx.HasPackets);
        Assert.Equal(Frame(60, 4), sink.Packets[4].Bytes);
    }

    [Fact]
    public void ABreakFromTheCallbackEndsThePassAndTheRestStaysInTheRing()
    {
        using var region = new FakeNetmapRegion(8, 2048);
        for (byte i = 0; i < 5; i++) region.Receive(false, Frame(60, i));
        using var rx = new NetmapReceiver(region.Nifp, false);
        var block = (HandleBlock*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)HandleBlock.Size);
        try
        {
            var sink = new BreakingRecorder(block, 2);
            Assert.Equal(2, rx.Deliver(0, null, sink, block));
            Assert.Equal(2u, region.Rx(false)->Cur); // the packets after the break are not released
            Assert.Equal(1u, region.Rx(false)->Head); // the last one handed out stays the program's
            Assert.True(rx.HasPackets);
            block->BreakLoop = 0;
            Assert.Equal(3, rx.Deliver(0, null, sink, block));
            Assert.Equal(5, sink.Seen.Packets.Count);
            Assert.Equal(Frame(60, 2), sink.Seen.Packets[2].Bytes);
            Assert.Equal(5UL, rx.Delivered);
            Assert.False(rx.HasPackets);
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free(block);
        }
    }

    [Fact]
    public void OnlyPacketsThatPassTheFilterAreCountedAndDelivered()
    {
        using var region = new FakeNetmapRegion(8, 2048);
        for (byte i = 0; i < 3; i++) region.Receive(false, Frame(60, i));
        using var rx = new NetmapReceiver(region.Nifp, false);
        using var reject = Accept(0);
        var sink = new Recorder();
        Assert.Equal(0, rx.Deliver(1, reject, sink)); // all consumed, none delivered: not "1 packet"
        Assert.Empty(sink.Packets);
        Assert.False(rx.HasPackets);
        Assert.Equal(0ul, rx.Delivered);
        Assert.Equal(3u, region.Rx(false)->Head);
    }

    [Fact]
    public void TheFiltersReturnValueTrimsCapLen()
    {
        using var region = new FakeNetmapRegion(8, 2048);
        region.Receive(false, Frame(60, 0));
        using var rx = new NetmapReceiver(region.Nifp, false);
        using var keep10 = Accept(10);
        var sink = new Recorder();
        Assert.Equal(1, rx.Deliver(0, keep10, sink));
        Assert.Equal(10u, sink.Packets[0].Header.CapLen);
        Assert.Equal(60u, sink.Packets[0].Header.Len);
        Assert.Equal(1ul, rx.Delivered);
    }

    [Theory]
    [InlineData(NetmapReceiver.DirectionInOut, 2)]
    [InlineData(NetmapReceiver.DirectionIn, 1)]
    [InlineData(NetmapReceiver.DirectionOut, 1)]
    public void DirectionTellsHwRingsFromHostRings(int direction, int expected)
    {
        using var region = new FakeNetmapRegion(8, 2048);
        region.Receive(false, Frame(60, 1)); // from the wire: in
        region.Receive(true, Frame(70, 2));  // from the host stack: out
        using var rx = new NetmapReceiver(region.Nifp, false) { Direction = direction };
        var sink = new Recorder();
        Assert.Equal(expected, rx.Deliver(0, null, sink));
        if (direction == NetmapReceiver.DirectionIn) Assert.Equal(60u, sink.Packets[0].Header.Len);
        if (direction == NetmapReceiver.DirectionOut) Assert.Equal(70u, sink.Packets[0].Header.Len);
        Assert.False(rx.HasPackets); // the other direction's frame is consumed too
    }

    [Fact]
    public void UnboundRingsAreSkipped()
    {
        using var region = new FakeNetmapRegion(8, 2048, hostRings: false);
        using var rx = new NetmapReceiver(region.Nifp, false);
        Assert.Equal(1, rx.RingCount);
    }

    [Fact]
    public void TransparentModeForwardsEverySlotItReleases()
    {
        using var region = new FakeNetmapRegion(8, 64);
        region.Receive(false, Frame(100, 1)); // two slots
        region.Receive(true, Frame(30, 2));
        using var rx = new NetmapReceiver(region.Nifp, true) { Direction = NetmapReceiver.DirectionIn };
        Assert.Equal(NetmapAbi.RingForward, region.Rx(false)->Flags & NetmapAbi.RingForward);
        Assert.Equal(NetmapAbi.RingForward, region.Rx(true)->Flags & NetmapAbi.RingForward);
        using var reject = Accept(0);
        var sink = new Recorder();
        rx.Deliver(0, reject, sink);
        NetmapRing* hw = region.Rx(false), host = region.Rx(true);
        Assert.NotEqual(0, NetmapRing.Slot(hw, 0)->Flags & NetmapAbi.SlotForward);
        Assert.NotEqual(0, NetmapRing.Slot(hw, 1)->Flags & NetmapAbi.SlotForward);
        Assert.NotEqual(0, NetmapRing.Slot(host, 0)->Flags & NetmapAbi.SlotForward); // left out by direction, still forwarded
        Assert.Equal(2u, hw->Head);
        Assert.Equal(1u, host->Head);
    }

    [Fact]
    public void ClosingInTransparentModeForwardsTheFramesNotRead()
    {
        using var region = new FakeNetmapRegion(8, 2048);
        region.Receive(false, Frame(60, 1));
        region.Receive(false, Frame(60, 2));
        region.Receive(true, Frame(60, 3));
        using var rx = new NetmapReceiver(region.Nifp, true);
        Assert.Equal(1, rx.Deliver(1, null, new Recorder())); // held for pcap_next_ex until the next read
        Assert.Equal(2, rx.ForwardUnread());
        NetmapRing* hw = region.Rx(false), host = region.Rx(true);
        Assert.NotEqual(0, NetmapRing.Slot(hw, 0)->Flags & NetmapAbi.SlotForward);
        Assert.NotEqual(0, NetmapRing.Slot(hw, 1)->Flags & NetmapAbi.SlotForward);
        Assert.NotEqual(0, NetmapRing.Slot(host, 0)->Flags & NetmapAbi.SlotForward);
        Assert.Equal(hw->Tail, hw->Head);
        Assert.Equal(host->Tail, host->Cur);
        Assert.False(rx.HasPackets);
    }

    [Fact]
    public void WithoutTransparentModeUnreadFramesStay()
    {
        using var region = new FakeNetmapRegion(8, 2048);
        region.Receive(false, Frame(60, 1));
        using var rx = new NetmapReceiver(region.Nifp, false);
        Assert.Equal(0, rx.ForwardUnread());
        Assert.Equal(0u, region.Rx(false)->Head);
        Assert.Equal(0, NetmapRing.Slot(region.Rx(false), 0)->Flags & NetmapAbi.SlotForward);
    }

    [Fact]
    public void WithoutTransparentModeNothingIsForwarded()
    {
        using var region = new FakeNetmapRegion(8, 2048);
        region.Receive(false, Frame(60, 1));
        using var rx = new NetmapReceiver(region.Nifp, false);
        rx.Deliver(0, null, new Recorder());
        Assert.Equal(0u, region.Rx(false)->Flags & NetmapAbi.RingForward);
        Assert.Equal(0, NetmapRing.Slot(region.Rx(false), 0)->Flags & NetmapAbi.SlotForward);
    }

    [Fact]
    public void RingsAreReadRoundRobin()
    {
        using var region = new FakeNetmapRegion(8, 2048);
        region.Receive(false, Frame(60, 1));
        region.Receive(false, Frame(60, 2));
        region.Receive(true, Frame(70, 3));
        using var rx = new NetmapReceiver(region.Nifp, false);
        var sink = new Recorder();
        rx.Deliver(1, null, sink); // hw ring, then the walk moves on
        rx.Deliver(1, null, sink);
        Assert.Equal(60u, sink.Packets[0].Header.Len);
        Assert.Equal(60u, sink.Packets[1].Header.Len);
        rx.Deliver(0, null, sink);
        Assert.Equal(70u, sink.Packets[2].Header.Len);
    }
}
