using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Capture.Netmap;

/// <summary>
/// Walks the RX rings bound to one netmap fd with the head/cur/tail rules: packets in [cur, tail) are
/// handed over straight from their netmap buffers (a packet spread over NS_MOREFRAG slots is first
/// joined in a reassembly buffer), then released by moving head and cur past them. Nothing here
/// makes a system call; the handle syncs the rings.
/// </summary>
public sealed unsafe class NetmapReceiver : IDisposable
{
    public const int DirectionInOut = 0, DirectionIn = 1, DirectionOut = 2; // PCAP_D_*

    readonly IntPtr[] rings; // NetmapRing*
    readonly bool[] hostRing;
    int nextRing;
    byte* reassembly;
    uint reassemblySize;
    PacketHeader* header;

    /// <summary>
    /// Collects the RX rings bound in <paramref name="nifp"/> and marks them NR_TIMESTAMP (stamped at
    /// every sync even where sysctl dev.netmap.no_timestamp is set), in transparent mode NR_FORWARD too.
    /// </summary>
    public NetmapReceiver(NetmapIf* nifp, bool transparent)
    {
        int first = nifp->TxRingCount, count = nifp->RxRingCount;
        var found = new System.Collections.Generic.List<IntPtr>();
        var host = new System.Collections.Generic.List<bool>();
        for (int i = 0; i < count; i++)
        {
            NetmapRing* ring = NetmapIf.Ring(nifp, first + i);
            if (ring == null) continue;
            ring->Flags |= NetmapAbi.RingTimestamp;
            if (transparent) ring->Flags |= NetmapAbi.RingForward;
            found.Add((IntPtr)ring);
            host.Add(i >= nifp->RxRings);
        }
        rings = found.ToArray();
        hostRing = host.ToArray();
        Transparent = transparent;
        header = (PacketHeader*)NativeMemory.AllocZeroed((nuint)sizeof(PacketHeader));
    }

    public int RingCount => rings.Length;
    public bool Transparent { get; }
    public int SnapLength { get; set; } = LiveHandle.MaximumSnapLength;
    public int Direction { get; set; }
    public TimestampPrecision Precision { get; set; }

    /// <summary>Packets that passed the filter and the direction and were delivered (pcap_stats' ps_recv).</summary>
    public ulong Delivered { get; private set; }

    /// <summary>True when some ring holds a packet not yet consumed (cur != tail).</summary>
    public bool HasPackets
    {
        get
        {
            foreach (var r in rings)
            {
                var ring = (NetmapRing*)r;
                if (ring->Cur != ring->Tail) return true;
            }
            return false;
        }
    }

    /// <summary>
    /// Consumes packets from the rings, round robin from where the last call stopped, until
    /// <paramref name="maxPackets"/> were delivered (no limit when it is 0 or less) or the rings hold no
    /// complete packet. Returns how many passed the filter and the direction and went to the sink.
    /// Delivered data stays valid until the rings are synced again.
    /// </summary>
    public int Deliver(int maxPackets, Bpf.Program? filter, IPacketSink sink)
    {
        int delivered = 0;
        for (int n = 0; n < rings.Length; n++)
        {
            int index = nextRing;
            var ring = (NetmapRing*)rings[index];
            while (ring->Head != ring->Tail)
            {
                if (maxPackets > 0 && delivered >= maxPackets) return delivered;
                if (!TakePacket(ring, hostRing[index], filter, sink, ref delivered)) break;
            }
            nextRing = index + 1 == rings.Length ? 0 : index + 1;
        }
        return delivered;
    }

    // One packet from [head, tail). When its NS_MOREFRAG chain is not complete yet, cur moves to tail
    // (head stays): the next poll waits for more slots instead of reporting the ring readable again.
    bool TakePacket(NetmapRing* ring, bool host, Bpf.Program? filter, IPacketSink sink, ref int delivered)
    {
        uint first = ring->Head, last = first, length = 0;
        int fragments = 1;
        for (;;)
        {
            NetmapSlot* s = NetmapRing.Slot(ring, last);
            length += s->Len;
            if ((s->Flags & NetmapAbi.SlotMoreFrag) == 0 || fragments == NetmapAbi.MaxFragments) break;
            last = NetmapRing.Next(ring, last);
            if (last == ring->Tail)
            {
                ring->Cur = ring->Tail;
                return false;
            }
            fragments++;
        }

        byte* data = fragments == 1 ? NetmapRing.Buffer(ring, NetmapRing.Slot(ring, first)) : Join(ring, first, fragments, length);
        bool wanted = Direction == DirectionInOut || (Direction == DirectionIn) != host;
        uint keep = wanted ? Math.Min(length, (uint)SnapLength) : 0;
        if (keep > 0 && filter != null)
            keep = Math.Min(keep, filter.Run(data, length, length));
        if (keep > 0)
        {
            header->TvSec = ring->TsSec;
            header->TvUsec = Precision == TimestampPrecision.Nano ? ring->TsUsec * 1000 : ring->TsUsec;
            header->CapLen = keep;
            header->Len = length;
            Delivered++;
            delivered++;
            sink.Packet(header, data);
        }
        Release(ring, first, fragments);
        return true;
    }

    byte* Join(NetmapRing* ring, uint first, int fragments, uint length)
    {
        if (length > reassemblySize)
        {
            NativeMemory.Free(reassembly);
            reassemblySize = Math.Max(length, ring->BufSize * NetmapAbi.MaxFragments);
            reassembly = (byte*)NativeMemory.Alloc(reassemblySize);
        }
        uint at = 0, slot = first;
        for (int f = 0; f < fragments; f++, slot = NetmapRing.Next(ring, slot))
        {
            NetmapSlot* s = NetmapRing.Slot(ring, slot);
            Buffer.MemoryCopy(NetmapRing.Buffer(ring, s), reassembly + at, reassemblySize - at, s->Len);
            at += s->Len;
        }
        return reassembly;
    }

    // Gives the slots back (head = cur = past the packet); in transparent mode each goes on to the other side.
    void Release(NetmapRing* ring, uint first, int fragments)
    {
        uint slot = first;
        for (int f = 0; f < fragments; f++, slot = NetmapRing.Next(ring, slot))
            if (Transparent)
                NetmapRing.Slot(ring, slot)->Flags |= NetmapAbi.SlotForward;
        ring->Head = ring->Cur = slot;
    }

    /// <summary>
    /// Transparent mode only: releases every slot still unread with NS_FORWARD, so that the sync the
    /// handle makes when it closes passes them on (real netmap drops what is left in an RX ring when
    /// the port leaves netmap mode: a frame the host was waiting for would be lost). Returns the slots.
    /// </summary>
    public int ForwardUnread()
    {
        if (!Transparent) return 0;
        int slots = 0;
        foreach (var r in rings)
        {
            var ring = (NetmapRing*)r;
            for (uint slot = ring->Head; slot != ring->Tail; slot = NetmapRing.Next(ring, slot), slots++)
                NetmapRing.Slot(ring, slot)->Flags |= NetmapAbi.SlotForward;
            ring->Head = ring->Cur = ring->Tail;
        }
        return slots;
    }

    public void Dispose()
    {
        NativeMemory.Free(reassembly);
        NativeMemory.Free(header);
        reassembly = null;
        header = null;
    }
}
