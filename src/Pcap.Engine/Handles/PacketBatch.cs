using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Handles;

/// <summary>
/// The batch delivery path for capture modules: a module fills the batch with packets that passed
/// its filter (a header it writes, a pointer to data that stays valid until its next read) and
/// <see cref="Deliver"/> hands the batch to the sink: a C pcap_handler in one call through the shim,
/// which stops before a packet once pcap_breakloop was called, as libpcap's readers do. Each packet
/// carries a mark of the module's (where it came from), so packets a break held back can be
/// delivered by the next read and none is lost.
/// </summary>
public sealed unsafe class PacketBatch : IDisposable
{
    /// <summary>Small enough that headers and packets are still in the first-level cache when the handler reads them.</summary>
    public const int Capacity = 64;

    PacketHeader* headers = (PacketHeader*)NativeMemory.Alloc(Capacity, (nuint)sizeof(PacketHeader));
    byte** data = (byte**)NativeMemory.Alloc(Capacity, (nuint)sizeof(byte*));
    long* marks = (long*)NativeMemory.Alloc(Capacity, sizeof(long));

    public int Count { get; private set; }
    public bool IsFull => Count == Capacity;

    /// <summary>Adds a packet; the module fills the returned header.</summary>
    public PacketHeader* Add(byte* packet, long mark)
    {
        if (IsFull) throw new InvalidOperationException("packet batch is full");
        data[Count] = packet;
        marks[Count] = mark;
        return &headers[Count++];
    }

    /// <summary>The mark of packet <paramref name="index"/>.</summary>
    public long MarkOf(int index) => marks[index];

    /// <summary>
    /// Hands the batch to <paramref name="sink"/> and empties it. Returns how many packets were handed
    /// over before a pcap_breakloop (the flag is left set for the caller to take).
    /// </summary>
    public int Deliver(IPacketSink sink, HandleBlock* block)
    {
        int n = Count, delivered;
        Count = 0;
        if (n == 0) return 0;
        if (sink is ICallbackSink handler)
        {
            delivered = Interop.Shim.Deliver(handler.Callback, handler.User, headers, data, n, block);
        }
        else
        {
            for (delivered = 0; delivered < n && block->BreakLoop == 0; delivered++)
                sink.Packet(&headers[delivered], data[delivered]);
        }
        return delivered;
    }

    public void Dispose()
    {
        NativeMemory.Free(headers);
        NativeMemory.Free(data);
        NativeMemory.Free(marks);
        headers = null;
        data = null;
        marks = null;
        GC.SuppressFinalize(this);
    }

    ~PacketBatch() => Dispose();
}
