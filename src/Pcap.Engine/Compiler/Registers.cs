using System.Collections.Generic;

namespace Pcap.Engine.Compiler;

/// <summary>
/// What optimize.c's value numbering knows at a block's edge, kept to constants: A, X and the scratch
/// cells (null: not known). A block starts with what all its predecessors end with (opt_blk).
/// </summary>
internal sealed record Registers(uint? A, uint? X, uint?[] Mem)
{
    public static readonly Registers Unknown = new(null, null, new uint?[16]);

    /// <summary>What every predecessor ends with; nothing for the root or a block with none.</summary>
    public static Registers Meet(List<Block>? preds, Dictionary<Block, Registers> exits)
    {
        if (preds == null || preds.Count == 0) return Unknown;
        Registers? r = null;
        foreach (var p in preds)
        {
            // A predecessor later in the order (none in a DAG) is not known yet.
            if (!exits.TryGetValue(p, out var e)) return Unknown;
            if (r == null) { r = e with { Mem = (uint?[])e.Mem.Clone() }; continue; }
            var mem = r.Mem;
            for (int i = 0; i < 16; i++) if (mem[i] != e.Mem[i]) mem[i] = null;
            r = new Registers(r.A == e.A ? r.A : null, r.X == e.X ? r.X : null, mem);
        }
        return r!;
    }
}
