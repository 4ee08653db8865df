using System.Collections.Generic;

namespace Pcap.Engine.Compiler;

/// <summary>
/// What optimize.c's value numbering knows at a block's edge, kept to constants: A, X and the scratch
/// cells (null: not known). A block starts with what all its predecessors end with (opt_blk).
/// </summary>
internal sealed record Registers(uint? A, uint? X, uint?[] Mem)
{
    public static readonly Registers Unknown = new(null, null, new uint?[16]);

    /// <summary>
    /// What every predecessor ends with (their <see cref="Block.Exit"/>); nothing for the root or a block with
    /// none. The cells of a result are shared, never changed: whoever changes them copies them first.
    /// </summary>
    public static Registers Meet(List<Block>? preds)
    {
        if (preds == null || preds.Count == 0) return Unknown;
        // A predecessor later in the order (none in a DAG) is not known yet.
        foreach (var p in preds) if (p.Exit == null) return Unknown;
        var first = preds[0].Exit!;
        if (preds.Count == 1) return first;
        uint? a = first.A, x = first.X;
        var mem = first.Mem;
        bool copied = false;
        for (int k = 1; k < preds.Count; k++)
        {
            var e = preds[k].Exit!;
            if (a != e.A) a = null;
            if (x != e.X) x = null;
            if (e.Mem == mem) continue;
            for (int i = 0; i < 16; i++)
                if (mem[i] != e.Mem[i])
                {
                    if (!copied) { mem = (uint?[])mem.Clone(); copied = true; }
                    mem[i] = null;
                }
        }
        return new Registers(a, x, mem);
    }
}
