using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

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
    // A batch: the headers and data handed to the sink in one call, and the first slot of each packet.
    const int BatchSize = 64;
    PacketHeader* headers;
    byte** batchData;
    uint* starts;
    // pcap_next_ex and pcap_next: the slot of the packet handed out last stays the program's (head
    // stops before it, cur goes past it, so poll no longer reports it) until the next read.
    NetmapRing* heldRing;
    uint heldTo;

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
        headers = (PacketHeader*)NativeMemory.AllocZeroed(BatchSize, (nuint)sizeof(PacketHeader));
        batchData = (byte**)NativeMemory.AllocZeroed(BatchSize, (nuint)sizeof(byte*));
        starts = (uint*)NativeMemory.AllocZeroed(BatchSize, sizeof(uint));
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
    /// <paramref name="maxPackets"/> were delivered (no limit when it is 0 or less), the rings hold no
    /// complete packet, or a pcap_breakloop (the flag in <paramref name="block"/>) ends the pass.
    /// Returns how many passed the filter and the direction and went to the sink. Packets go to a C
    /// callback in batches, as the Linux module hands them over; slots go back (head moves) after
    /// their batch, and packets a break kept from the callback stay in the ring for the next read.
    /// A packet handed to a callback stays valid until the rings are synced again; the last one handed
    /// to another sink (pcap_next_ex) until <see cref="ReleaseHeld"/>, at the next read.
    /// </summary>
    public int Deliver(int maxPackets, Bpf.Program? filter, IPacketSink sink, HandleBlock* block = null)
    {
        int delivered = 0;
        for (int n = 0; n < rings.Length; n++)
        {
            int index = nextRing;
            var ring = (NetmapRing*)rings[index];
            for (;;)
            {
                int room = maxPackets > 0 ? Math.Min(BatchSize, maxPackets - delivered) : BatchSize;
                if (room == 0) return delivered;
                bool more = DeliverBatch(ring, hostRing[index], room, filter, sink, block, ref delivered);
                if (block != null && block->BreakLoop != 0) return delivered;
                if (!more) break;
            }
            nextRing = index + 1 == rings.Length ? 0 : index + 1;
        }
        return delivered;
    }

    /// <summary>
    /// Up to <paramref name="room"/> packets of one ring to the sink. False when the ring holds no
    /// further complete packet. When an NS_MOREFRAG chain is not complete yet, cur moves to tail
    /// (head stays at its first slot): the next poll waits for more slots instead of reporting the
    /// ring readable again.
    /// </summary>
    bool DeliverBatch(NetmapRing* ring, bool host, int room, Bpf.Program? filter, IPacketSink sink, HandleBlock* block, ref int delivered)
    {
        if (heldRing == ring) ReleaseHeld(); // the walk starts at head
        uint at = ring->Head;
        int n = 0;
        bool incomplete = false;
        while (n < room && at != ring->Tail)
        {
            uint first = at, last = first, length = 0;
            int fragments = 1;
            for (;;)
            {
                NetmapSlot* s = NetmapRing.Slot(ring, last);
                length += s->Len;
                if ((s->Flags & NetmapAbi.SlotMoreFrag) == 0 || fragments == NetmapAbi.MaxFragments) break;
                last = NetmapRing.Next(ring, last);
                if (last == ring->Tail)
                {
                    incomplete = true;
                    break;
                }
                fragments++;
            }
            if (incomplete) break;
            at = NetmapRing.Next(ring, last);

            byte* data = fragments == 1 ? NetmapRing.Buffer(ring, NetmapRing.Slot(ring, first)) : Join(ring, first, fragments, length);
            bool wanted = Direction == DirectionInOut || (Direction == DirectionIn) != host;
            uint keep = wanted ? Math.Min(length, (uint)SnapLength) : 0;
            if (keep > 0 && filter != null)
                keep = Math.Min(keep, filter.Run(data, length, length));
            if (keep > 0)
            {
                PacketHeader* header = headers + n;
                header->TvSec = ring->TsSec;
                header->TvUsec = Precision == TimestampPrecision.Nano ? ring->TsUsec * 1000 : ring->TsUsec;
                header->CapLen = keep;
                header->Len = length;
                batchData[n] = data;
                starts[n] = first;
                n++;
            }
            // The reassembly buffer holds one packet: a joined packet ends its batch.
            if (fragments > 1) break;
        }

        int handed = n == 0 ? 0 : Hand(sink, n, block);
        Delivered += (ulong)handed;
        delivered += handed;
        // Slots go back up to the first packet the callback did not get.
        uint to = handed < n ? starts[handed] : at;
        if (handed > 0 && sink is not ICallbackSink && batchData[handed - 1] != reassembly)
        {
            ReleaseHeld();
            Release(ring, starts[handed - 1]);
            ring->Cur = to;
            heldRing = ring;
            heldTo = to;
        }
        else
        {
            Release(ring, to);
        }
        if (incomplete && handed == n) ring->Cur = ring->Tail;
        return handed == n && !incomplete && at != ring->Tail;
    }

    /// <summary>The batch to the sink; a C callback gets it through the shim, which stops at a pcap_breakloop.</summary>
    int Hand(IPacketSink sink, int n, HandleBlock* block)
    {
        if (sink is ICallbackSink callback && block != null)
            return Shim.Deliver(callback.Callback, callback.User, headers, batchData, n, block);
        int i = 0;
        for (; i < n && (block == null || block->BreakLoop == 0); i++) sink.Packet(headers + i, batchData[i]);
        return i;
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

    /// <summary>Gives back the slot pcap_next_ex's packet came from: called at the next read, and before the last sync at close.</summary>
    public void ReleaseHeld()
    {
        if (heldRing == null) return;
        uint cur = heldRing->Cur;
        Release(heldRing, heldTo);
        heldRing->Cur = cur;
        heldRing = null;
    }

    // Gives the slots before `to` back (head = cur = to); in transparent mode each goes on to the other side.
    void Release(NetmapRing* ring, uint to)
    {
        if (Transparent)
            for (uint slot = ring->Head; slot != to; slot = NetmapRing.Next(ring, slot))
                NetmapRing.Slot(ring, slot)->Flags |= NetmapAbi.SlotForward;
        ring->Head = ring->Cur = to;
    }

    /// <summary>
    /// Transparent mode only: releases every slot still unread with NS_FORWARD, so that the sync the
    /// handle makes when it closes passes them on (real netmap drops what is left in an RX ring when
    /// the port leaves netmap mode: a frame the host was waiting for would be lost). Returns the slots.
    /// </summary>
    public int ForwardUnread()
    {
        if (!Transparent) return 0;
        ReleaseHeld(); // the slot pcap_next_ex's packet came from was read: it goes on as released
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
        NativeMemory.Free(headers);
        NativeMemory.Free(batchData);
        NativeMemory.Free(starts);
        reassembly = null;
        headers = null;
        batchData = null;
        starts = null;
    }
}
