using System;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Compiler;

/// <summary>
/// libpcap 1.10.3's gencode allocator (newchunk), kept as a budget so that "out of memory" comes where
/// libpcap's comes: 16 chunks, chunk k of 1024 &lt;&lt; k bytes (the first one used is chunk 1), an
/// allocation that does not fit in what is left of the current chunk opens the next one (the rest is
/// lost), and one larger than that next chunk fails. What it holds: every block (288 bytes on LP64),
/// statement (40), arithmetic value (24) and the text of every name, address and number-like token
/// the scanner copies. A name of more than 2047 characters therefore fails where libpcap's does.
/// </summary>
internal sealed class ChunkModel
{
    public const int BlockSize = 288, StmtSize = 40, ArthSize = 24;
    private const int Chunks = 16, FirstChunkSize = 1024;

    /// <summary>The budget of the compilation running on this thread (null outside parsing and code generation).</summary>
    [ThreadStatic] public static ChunkModel? Current;

    private int _chunk;
    private long _left;

    /// <summary>Charges <paramref name="bytes"/> to the running compilation; throws libpcap's "out of memory" past its budget.</summary>
    public static void Charge(long bytes)
    {
        if (Current is { } c && !c.TryTake(bytes)) throw new PcapException("out of memory");
    }

    /// <summary>Charges the running compilation; false where libpcap's allocation would fail (its error is set).</summary>
    public static bool TryCharge(long bytes) => Current is not { } c || c.TryTake(bytes);

    private bool TryTake(long n)
    {
        n = (n + 7) & ~7L;
        if (n > _left)
        {
            if (++_chunk >= Chunks) return false;
            _left = (long)FirstChunkSize << _chunk;
            if (n > _left) return false;
        }
        _left -= n;
        return true;
    }
}
