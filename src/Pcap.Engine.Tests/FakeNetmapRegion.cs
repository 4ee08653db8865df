using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Capture.Netmap;

namespace Pcap.Engine.Tests;

/// <summary>
/// A netmap region in ordinary memory, laid out as the kernel lays it out (netmap_if, four rings:
/// hw TX, host TX, hw RX, host RX, then the buffers), with a "kernel" side that appends frames to an
/// RX ring the way an rxsync does.
/// </summary>
public sealed unsafe class FakeNetmapRegion : IDisposable
{
    readonly byte* memory;
    readonly int ringBytes;

    public FakeNetmapRegion(int slots, int bufferSize, bool hostRings = true)
    {
        Slots = (uint)slots;
        BufferSize = (uint)bufferSize;
        ringBytes = (256 + 16 * slots + 127) / 128 * 128;
        int ifBytes = 4096;
        long buffers = 2 + 4L * slots;
        long total = ifBytes + 4L * ringBytes + buffers * bufferSize;
        memory = (byte*)NativeMemory.AllocZeroed((nuint)total);
        Nifp = (NetmapIf*)memory;
        Nifp->TxRings = 1;
        Nifp->RxRings = 1;
        Nifp->HostTxRings = 1;
        Nifp->HostRxRings = 1;
        BufferBase = memory + ifBytes + 4L * ringBytes;
        uint index = 2; // 0 and 1 are reserved
        for (int r = 0; r < 4; r++)
        {
            long offset = ifBytes + (long)r * ringBytes;
            var ring = (NetmapRing*)(memory + offset);
            ring->NumSlots = Slots;
            ring->BufSize = BufferSize;
            ring->Dir = (ushort)(r >= 2 ? 1 : 0);
            ring->BufOffset = BufferBase - (byte*)ring;
            for (uint s = 0; s < Slots; s++) NetmapRing.Slot(ring, s)->BufIdx = index++;
            if (ring->Dir == 0) ring->Tail = Slots - 1;
            bool bound = hostRings || r == 0 || r == 2;
            ((long*)((byte*)Nifp + NetmapIf.RingOffsets))[r] = bound ? offset : 0;
        }
    }

    public uint Slots { get; }
    public uint BufferSize { get; }
    public NetmapIf* Nifp { get; }
    public byte* BufferBase { get; }

    public NetmapRing* Rx(bool host) => (NetmapRing*)((byte*)Nifp + NetmapIf.RingOffset(Nifp, host ? 3 : 2));
    public NetmapRing* Tx(bool host) => (NetmapRing*)((byte*)Nifp + NetmapIf.RingOffset(Nifp, host ? 1 : 0));

    /// <summary>The kernel's rxsync: puts a frame at tail (split over NS_MOREFRAG slots), moves tail, stamps the ring.</summary>
    public void Receive(bool host, byte[] frame, long sec = 1700000000, long usec = 123456, bool publish = true)
    {
        NetmapRing* ring = Rx(host);
        int at = 0;
        do
        {
            NetmapSlot* s = NetmapRing.Slot(ring, ring->Tail);
            int n = Math.Min(frame.Length - at, (int)BufferSize);
            new ReadOnlySpan<byte>(frame, at, n).CopyTo(new Span<byte>(NetmapRing.Buffer(ring, s), n));
            s->Len = (ushort)n;
            at += n;
            s->Flags = at < frame.Length ? NetmapAbi.SlotMoreFrag : (ushort)0;
            if (publish || at < frame.Length) ring->Tail = NetmapRing.Next(ring, ring->Tail);
        } while (at < frame.Length);
        ring->TsSec = sec;
        ring->TsUsec = usec;
    }

    /// <summary>Starts the ring at <paramref name="slot"/> (as if earlier packets were consumed), to test wraparound.</summary>
    public void StartAt(bool host, uint slot)
    {
        NetmapRing* ring = Rx(host);
        ring->Head = ring->Cur = ring->Tail = slot;
    }

    public void Dispose() => NativeMemory.Free(memory);
}
