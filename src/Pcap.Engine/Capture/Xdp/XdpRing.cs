namespace Pcap.Engine.Capture.Xdp;

/// <summary>
/// One AF_XDP ring (RX, TX, fill or completion): a power-of-two array of entries with a producer and
/// a consumer index shared with the kernel. The indices run freely and wrap at 2^32; an entry is at
/// index &amp; mask. The kernel reads what we produce once the producer index is stored (release), and
/// we read what it produced after loading its producer index (acquire). No system calls here.
/// </summary>
public unsafe struct XdpRing(uint* producer, uint* consumer, byte* entries, uint size, int entrySize)
{
    readonly uint* producer = producer;
    readonly uint* consumer = consumer;
    readonly byte* entries = entries;
    readonly uint mask = size - 1;
    readonly int entrySize = entrySize;

    public readonly uint Size => mask + 1;

    public readonly void* Entry(uint index) => entries + (index & mask) * (uint)entrySize;

    /// <summary>Consumer side: entries the other side produced that we have not consumed.</summary>
    public readonly uint Available => System.Threading.Volatile.Read(ref *producer) - *consumer;

    /// <summary>Consumer side: the index of the first entry not consumed.</summary>
    public readonly uint ConsumerIndex => *consumer;

    /// <summary>Consumer side: gives <paramref name="n"/> entries back.</summary>
    public readonly void Consume(uint n) => System.Threading.Volatile.Write(ref *consumer, *consumer + n);

    /// <summary>Producer side: free entries we may fill.</summary>
    public readonly uint Free => Size - (*producer - System.Threading.Volatile.Read(ref *consumer));

    /// <summary>Producer side: the index of the next entry to fill.</summary>
    public readonly uint ProducerIndex => *producer;

    /// <summary>Producer side: publishes <paramref name="n"/> filled entries.</summary>
    public readonly void Produce(uint n) => System.Threading.Volatile.Write(ref *producer, *producer + n);
}
