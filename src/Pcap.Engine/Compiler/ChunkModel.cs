namespace Pcap.Engine.Compiler;

/// <summary>
/// libpcap 1.10.3's gencode allocator (newchunk), kept as a budget so that "out of memory" comes where
/// libpcap's comes: 16 chunks, chunk k of 1024 &lt;&lt; k bytes (the first one used is chunk 1), an
/// allocation that does not fit in what is left of the current chunk opens the next one (the rest is
/// lost), and one larger than that next chunk fails. What it holds: every block (288 bytes on LP64),
/// statement (40), arithmetic value (24) and the text of every name, address and number-like token
/// the scanner copies. A name of more than 2047 characters therefore fails where libpcap's does.
/// It also holds the compilation's error (gencode's bpf_error), since running out of budget is one.
/// </summary>
internal sealed class ChunkModel
{
    public const int BlockSize = 288, StmtSize = 40, ArthSize = 24;
    private const int Chunks = 16, FirstChunkSize = 1024;

    /// <summary>
    /// The budget of the compilation running on this thread (null outside parsing and code generation). Blocks
    /// and statements charge it from their constructors (Ir.cs), which have no other way to reach it.
    /// </summary>
    [System.ThreadStatic] public static ChunkModel? Current;

    private int _chunk;
    private long _left;

    /// <summary>
    /// The compilation's first error (libpcap longjmps out at its first, so the first one set is the one
    /// reported): set by the code generator, the parser and the budget; null while all is well.
    /// </summary>
    public string? Error { get; private set; }

    /// <summary>Records <paramref name="text"/> as the compilation's error unless one is already set.</summary>
    public void Fail(string text) => Error ??= text;

    /// <summary>Charges <paramref name="bytes"/> to the running compilation; past its budget, libpcap's "out of memory" is its error.</summary>
    public static void Charge(long bytes)
    {
        if (Current is { } c && !c.TryTake(bytes)) c.Fail("out of memory");
    }

    /// <summary>Charges the running compilation; false where libpcap's allocation would fail (the caller sets the error).</summary>
    public static bool TryCharge(long bytes) => Current is not { } c || c.TryTake(bytes);

    /// <summary>Charges this compilation (for callers that hold it, sparing the thread-static lookup).</summary>
    public void Take(long bytes)
    {
        if (!TryTake(bytes)) Fail("out of memory");
    }

    public bool TryTake(long n)
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
