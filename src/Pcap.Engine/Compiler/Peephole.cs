using Pcap.Engine.Handles;
using System.Collections.Generic;

namespace Pcap.Engine.Compiler;

/// <summary>
/// Statement-level optimisation: constants propagated through A, X and scratch cells within a block,
/// loads of a cell A already holds dropped, scratch stores nobody reads removed (liveness over the whole
/// graph), and definitions of A or X that nothing uses removed. Packet loads are never removed: one past
/// the captured bytes rejects the packet.
/// </summary>
internal static class Peephole
{
    public static bool Run(List<Block> blocks)
    {
        bool changed = false;
        Optimizer.Predecessors(blocks);
        foreach (var b in blocks)
        {
            changed |= Propagate(b, Registers.Meet(b.Preds), out var exit);
            b.Exit = exit;
        }
        changed |= DeadStores(blocks);
        changed |= DeadDefinitions(blocks);
        changed |= RedundantLoads(blocks);
        return changed;
    }

    /// <summary>
    /// A block that starts by loading what A (or X) already holds on every edge into it drops that load:
    /// the same load already succeeded on the way in.
    /// </summary>
    private static bool RedundantLoads(List<Block> topo)
    {
        Optimizer.Predecessors(topo);
        // By position in the order (Block.Id); predecessors come earlier, so they are done first.
        var exitA = new string?[topo.Count];
        var exitX = new string?[topo.Count];
        bool changed = false;
        foreach (var b in topo)
        {
            string? inA = null, inX = null;
            if (b.Preds is { Count: > 0 } ps)
            {
                inA = exitA[ps[0].Id];
                inX = exitX[ps[0].Id];
                foreach (var p in ps)
                {
                    if (exitA[p.Id] != inA) inA = null;
                    if (exitX[p.Id] != inX) inX = null;
                }
            }
            if (inX != null && b.Stmts.Count > 0 && Op.Class(b.Stmts[0].Code) == Op.LDX && Key(b.Stmts[0]) == inX)
            {
                b.Stmts = b.Stmts.GetRange(1, b.Stmts.Count - 1);
                changed = true;
            }
            if (inA != null)
            {
                int n = PureLength(b.Stmts, 0);
                if (n > 0 && Sequence(b.Stmts, 0, n) is string seq && inA.StartsWith(seq, System.StringComparison.Ordinal))
                {
                    // Drop the longest leading part of the block's definition that equals what A holds.
                    for (int len = n; len > 0; len--)
                    {
                        if (Sequence(b.Stmts, 0, len) == inA)
                        {
                            b.Stmts = b.Stmts.GetRange(len, b.Stmts.Count - len);
                            changed = true;
                            break;
                        }
                    }
                }
            }
            (exitA[b.Id], exitX[b.Id]) = ExitKeys(b, inA, inX);
        }
        return changed;
    }

    private static string Key(Stmt s) => Optimizer.StmtKey(s.Code, s.K);

    /// <summary>Length of the run at i of a packet/immediate/length load of A followed by constant ALU operations.</summary>
    private static int PureLength(List<Stmt> stmts, int i)
    {
        if (i >= stmts.Count) return 0;
        var s = stmts[i];
        if (Op.Class(s.Code) != Op.LD || Op.Mode(s.Code) is not (Op.ABS or Op.IMM or Op.LEN)) return 0;
        int j = i + 1;
        while (j < stmts.Count && Op.Class(stmts[j].Code) == Op.ALU && Op.Src(stmts[j].Code) == Op.K && Op.AluOp(stmts[j].Code) != Op.NEG) j++;
        return j - i;
    }

    private static string Sequence(List<Stmt> stmts, int i, int n) => Optimizer.StmtKey(stmts, i, n);

    /// <summary>What A and X hold when the block ends, as keys of the loads that made them, or null.</summary>
    private static (string? A, string? X) ExitKeys(Block b, string? a, string? x)
    {
        var st = b.Stmts;
        for (int i = 0; i < st.Count; i++)
        {
            var s = st[i];
            int cls = Op.Class(s.Code);
            switch (cls)
            {
                case Op.LD:
                    {
                        int n = PureLength(st, i);
                        if (n > 0) { a = Sequence(st, i, n); i += n - 1; }
                        else a = null;
                        break;
                    }
                case Op.ALU:
                    a = a != null && Op.Src(s.Code) == Op.K && Op.AluOp(s.Code) != Op.NEG ? a + Key(s) : null;
                    break;
                case Op.LDX:
                    x = Op.Mode(s.Code) is Op.MEM or Op.MSH or Op.IMM ? Key(s) : null;
                    break;
                case Op.ST: case Op.STX:
                    // A store to the cell X was loaded from makes that key stale.
                    if (x != null && x == Optimizer.StmtKey(Op.LDX | Op.MEM, s.K)) x = null;
                    break;
                case Op.MISC:
                    if ((s.Code & 0xf8) == Op.TXA) a = null; else x = null;
                    break;
            }
        }
        return (a, x);
    }

    private static bool IsConditional(Block b) => Op.Class(b.JumpCode) == Op.JMP && (b.JumpCode & 0xf0) != Op.JA;

    private static uint? Alu(int op, uint a, uint k) => op switch
    {
        Op.ADD => a + k, Op.SUB => a - k, Op.MUL => a * k, Op.DIV => k == 0 ? null : a / k, Op.MOD => k == 0 ? null : a % k,
        Op.AND => a & k, Op.OR => a | k, Op.XOR => a ^ k, Op.LSH => k < 32 ? a << (int)k : 0, Op.RSH => k < 32 ? a >> (int)k : 0,
        Op.NEG => (uint)-(int)a, _ => null,
    };

    /// <summary>Forward pass over one block with what is known of A, X and the cells on entry.</summary>
    private static bool Propagate(Block b, Registers entry, out Registers exit)
    {
        uint? a = entry.A, x = entry.X;
        var mem = entry.Mem;
        bool own = false; // the entry's cells are shared: copied before the first store
        uint sameAsA = 0; // cells holding what A holds
        List<Stmt>? output = null; // made at the first change, from the statements before it
        bool changed = false;
        void ClearA() { a = null; sameAsA = 0; }
        for (int i = 0; i < b.Stmts.Count; i++)
        {
            var s0 = b.Stmts[i];
            var s = s0;
            bool drop = false;
            int cls = Op.Class(s.Code);
            switch (cls)
            {
                case Op.LD:
                    {
                        int mode = Op.Mode(s.Code);
                        if (mode == Op.MEM)
                        {
                            int k = (int)(s.K & 15);
                            if ((sameAsA & 1u << k) != 0) { changed = drop = true; break; }
                            if (mem[k] is uint c) { s = new Stmt(Op.LD | Op.IMM, c); changed = true; }
                        }
                        else if (mode == Op.IND && x is uint xv && (ulong)xv + s.K <= uint.MaxValue)
                        {
                            s = new Stmt(Op.LD | Op.ABS | Op.Size(s.Code), xv + s.K);
                            changed = true;
                        }
                        ClearA();
                        if (Op.Mode(s.Code) == Op.IMM) a = s.K;
                        if (s0.Code == (Op.LD | Op.MEM)) sameAsA |= 1u << (int)(s0.K & 15);
                        break;
                    }
                case Op.LDX:
                    if (Op.Mode(s.Code) == Op.MEM && mem[s.K & 15] is uint cx) { s = new Stmt(Op.LDX | Op.IMM, cx); changed = true; }
                    x = Op.Mode(s.Code) == Op.IMM ? s.K : null;
                    break;
                case Op.ST:
                    if (!own) { mem = (uint?[])mem.Clone(); own = true; }
                    mem[s.K & 15] = a;
                    sameAsA |= 1u << (int)(s.K & 15);
                    break;
                case Op.STX:
                    if (!own) { mem = (uint?[])mem.Clone(); own = true; }
                    mem[s.K & 15] = x;
                    sameAsA &= ~(1u << (int)(s.K & 15));
                    break;
                case Op.ALU:
                    {
                        // libpcap's opt_stmt: a known X becomes the constant operand (refusing a division by
                        // zero, and a shift past 31 bits of an unknown A); an operand of zero decides some
                        // results whatever the other holds, "0 / X" included (no division by zero at run time).
                        // An operand made constant this way decides A in the next pass, not this one: until
                        // then a later shift of that A by a known X past 31 bits is still refused.
                        int op = Op.AluOp(s.Code);
                        bool deferred = false;
                        if (op != Op.NEG && Op.Src(s.Code) == Op.X && x is uint xk)
                        {
                            if (xk == 0 && op == Op.DIV) throw new PcapException("division by zero");
                            if (xk == 0 && op == Op.MOD) throw new PcapException("modulus by zero");
                            if (xk > 31 && op is Op.LSH or Op.RSH && a == null) throw new PcapException("shift by more than 31 bits");
                            s = new Stmt(Op.ALU | op | Op.K, xk);
                            deferred = a == null;
                            changed = true;
                        }
                        uint? r;
                        if (deferred) r = null;
                        else if (Op.Src(s.Code) == Op.K && op != Op.NEG && s.K == 0 && op is Op.MUL or Op.AND)
                        {
                            if (a == null) b.DecidedByZeroRule = true;
                            r = 0;
                        }
                        else if (Op.Src(s.Code) == Op.X && op != Op.NEG && a == 0 && op is Op.MUL or Op.DIV or Op.MOD or Op.AND or Op.LSH or Op.RSH)
                        {
                            s = new Stmt(Op.LD | Op.IMM, 0);
                            changed = true;
                            b.DecidedByZeroRule = true;
                            r = 0;
                        }
                        else r = a is uint av && (op == Op.NEG || Op.Src(s.Code) == Op.K) ? Alu(op, av, s.K) : null;
                        ClearA();
                        a = r;
                        break;
                    }
                case Op.MISC:
                    if ((s.Code & 0xf8) == Op.TXA) { ClearA(); a = x; }
                    else x = a;
                    break;
            }
            if (changed && output == null) output = b.Stmts.GetRange(0, i);
            if (!drop) output?.Add(s);
        }
        exit = new Registers(a, x, mem);
        if (IsConditional(b) && Op.Src(b.JumpCode) == Op.X && x is uint jx)
        {
            b.JumpCode = (b.JumpCode & ~Op.X) | Op.K;
            b.K = jx;
            changed = true;
        }
        // "sub #c; jeq #0" is "jeq #c", unless a later block reads what A holds (libpcap's "byte" primitive does).
        var last = output ?? b.Stmts;
        if (IsConditional(b) && (b.JumpCode & 0xf0) == Op.JEQ && Op.Src(b.JumpCode) == Op.K && b.K == 0 && last.Count > 0
            && last[^1].Code == (Op.ALU | Op.SUB | Op.K) && !ReadsAOnEntry(b.Jt!) && !ReadsAOnEntry(b.Jf!))
        {
            output ??= new List<Stmt>(b.Stmts);
            b.K = output[^1].K;
            output.RemoveAt(output.Count - 1);
            exit = exit with { A = null };
            changed = true;
        }
        // Likewise "and #k; jeq #0" is "jset #k" with the branches swapped (libpcap's opt_peep). Not for
        // "and #0", which libpcap's opt_stmt makes "ld #0" first: that test is the zero rule's (left in place
        // unless it is the root), not "jset #0"'s (always decided): "ip[6] & 0 != 0" compiles.
        last = output ?? b.Stmts;
        if (b.JumpCode == (Op.JMP | Op.JEQ | Op.K) && b.K == 0 && last.Count > 0
            && last[^1].Code == (Op.ALU | Op.AND | Op.K) && last[^1].K != 0 && !ReadsAOnEntry(b.Jt!) && !ReadsAOnEntry(b.Jf!))
        {
            output ??= new List<Stmt>(b.Stmts);
            b.JumpCode = Op.JMP | Op.JSET | Op.K;
            b.K = output[^1].K;
            (b.Jt, b.Jf) = (b.Jf, b.Jt);
            output.RemoveAt(output.Count - 1);
            exit = exit with { A = null };
            changed = true;
        }
        if (changed) b.Stmts = output ?? new List<Stmt>(b.Stmts);
        return changed;
    }

    private static bool ReadsAOnEntry(Block b)
    {
        var (useA, _, defA, _) = Summary(b);
        return useA || (!b.IsReturn && !IsConditional(b) && !defA);
    }

    /// <summary>Cells a block may read before writing them, given the cells live after it.</summary>
    private static uint LiveIn(Block b, uint liveOut)
    {
        uint live = liveOut;
        for (int i = b.Stmts.Count - 1; i >= 0; i--)
        {
            var s = b.Stmts[i];
            int cls = Op.Class(s.Code);
            if (cls is Op.ST or Op.STX) live &= ~(1u << (int)(s.K & 15));
            else if (cls is Op.LD or Op.LDX && Op.Mode(s.Code) == Op.MEM) live |= 1u << (int)(s.K & 15);
        }
        return live;
    }

    private static bool DeadStores(List<Block> topo)
    {
        // By position in the order (Block.Id); successors come later, so they are done first.
        var liveIn = new uint[topo.Count];
        bool changed = false;
        for (int i = topo.Count - 1; i >= 0; i--)
        {
            var b = topo[i];
            uint liveOut = 0;
            if (!b.IsReturn)
            {
                if (b.Jt != null) liveOut |= liveIn[b.Jt.Id];
                if (b.Jf != null) liveOut |= liveIn[b.Jf.Id];
            }
            uint live = liveOut;
            List<Stmt>? keep = null; // made at the first store removed, from the statements after it
            for (int j = b.Stmts.Count - 1; j >= 0; j--)
            {
                var s = b.Stmts[j];
                int cls = Op.Class(s.Code);
                if (cls is Op.ST or Op.STX)
                {
                    uint bit = 1u << (int)(s.K & 15);
                    if ((live & bit) == 0)
                    {
                        changed = true;
                        keep ??= Reversed(b.Stmts, j + 1);
                        continue;
                    }
                    live &= ~bit;
                }
                else if (cls is Op.LD or Op.LDX && Op.Mode(s.Code) == Op.MEM) live |= 1u << (int)(s.K & 15);
                keep?.Add(s);
            }
            if (keep != null) { keep.Reverse(); b.Stmts = keep; }
            liveIn[b.Id] = live;
        }
        return changed;
    }

    /// <summary>The statements from <paramref name="from"/> on, last first.</summary>
    private static List<Stmt> Reversed(List<Stmt> stmts, int from)
    {
        var list = new List<Stmt>(stmts.Count);
        for (int k = stmts.Count - 1; k >= from; k--) list.Add(stmts[k]);
        return list;
    }

    /// <summary>Does the block read A (or X) before defining it, and does it define them?</summary>
    private static (bool UseA, bool UseX, bool DefA, bool DefX) Summary(Block b)
    {
        bool defA = false, defX = false, useA = false, useX = false;
        foreach (var s in b.Stmts)
        {
            int cls = Op.Class(s.Code);
            switch (cls)
            {
                case Op.LD: if (Op.Mode(s.Code) == Op.IND && !defX) useX = true; defA = true; break;
                case Op.LDX: defX = true; break;
                case Op.ST: if (!defA) useA = true; break;
                case Op.STX: if (!defX) useX = true; break;
                case Op.ALU: if (!defA) useA = true; if (Op.Src(s.Code) == Op.X && !defX) useX = true; defA = true; break;
                case Op.MISC:
                    if ((s.Code & 0xf8) == Op.TXA) { if (!defX) useX = true; defA = true; }
                    else { if (!defA) useA = true; defX = true; }
                    break;
            }
        }
        if (b.IsReturn)
        {
            if ((b.JumpCode & 0x18) == 0x10 && !defA) useA = true; // ret a
            if ((b.JumpCode & 0x18) == 0x08 && !defX) useX = true; // ret x
        }
        else if (IsConditional(b))
        {
            if (!defA) useA = true;
            if (Op.Src(b.JumpCode) == Op.X && !defX) useX = true;
        }
        return (useA, useX, defA, defX);
    }

    /// <summary>
    /// Removes definitions of A or X (that cannot fail) whose value nothing reads, with A and X liveness
    /// over the whole graph (a value may pass through blocks that do not touch it).
    /// </summary>
    private static bool DeadDefinitions(List<Block> topo)
    {
        // By position in the order (Block.Id); successors come later, so they are done first.
        var liveIn = new (bool A, bool X)[topo.Count];
        var done = new bool[topo.Count];
        bool changed = false;
        for (int i = topo.Count - 1; i >= 0; i--)
        {
            var b = topo[i];
            bool liveA = false, liveX = false;
            if (!b.IsReturn)
            {
                for (int side = 0; side < 2; side++)
                {
                    var succ = side == 0 ? b.Jt : b.Jf;
                    if (succ == null) continue;
                    // Successors not seen yet (none in a DAG walked backwards) count as using both.
                    (bool A, bool X) l = done[succ.Id] ? liveIn[succ.Id] : (true, true);
                    liveA |= l.A;
                    liveX |= l.X;
                }
                if (IsConditional(b)) { liveA = true; liveX |= Op.Src(b.JumpCode) == Op.X; }
                changed |= Prune(b, liveA, liveX);
            }
            var (useA, useX, defA, defX) = Summary(b);
            liveIn[b.Id] = (useA || (liveA && !defA), useX || (liveX && !defX));
            done[b.Id] = true;
        }
        return changed;
    }

    private static bool Prune(Block b, bool liveA, bool liveX)
    {
        List<Stmt>? keep = null; // made at the first statement removed, from the statements after it
        for (int j = b.Stmts.Count - 1; j >= 0; j--)
        {
            var s = b.Stmts[j];
            int cls = Op.Class(s.Code), mode = Op.Mode(s.Code);
            bool packetLoad = cls is Op.LD or Op.LDX && mode is Op.ABS or Op.IND or Op.MSH;
            bool drop = false;
            switch (cls)
            {
                case Op.LD:
                    if (!liveA && !packetLoad) { drop = true; break; }
                    liveA = false;
                    if (mode == Op.IND) liveX = true;
                    break;
                case Op.LDX:
                    if (!liveX && !packetLoad) { drop = true; break; }
                    liveX = false;
                    break;
                case Op.ST: liveA = true; break;
                case Op.STX: liveX = true; break;
                case Op.ALU:
                    {
                        bool canFail = Op.AluOp(s.Code) is Op.DIV or Op.MOD && Op.Src(s.Code) == Op.X;
                        if (!liveA && !canFail) { drop = true; break; }
                        liveA = true;
                        if (Op.Src(s.Code) == Op.X && Op.AluOp(s.Code) != Op.NEG) liveX = true;
                        break;
                    }
                case Op.MISC:
                    if ((s.Code & 0xf8) == Op.TXA)
                    {
                        if (!liveA) { drop = true; break; }
                        liveA = false;
                        liveX = true;
                    }
                    else
                    {
                        if (!liveX) { drop = true; break; }
                        liveX = false;
                        liveA = true;
                    }
                    break;
            }
            if (drop) { keep ??= Reversed(b.Stmts, j + 1); continue; }
            keep?.Add(s);
        }
        if (keep == null) return false;
        keep.Reverse();
        b.Stmts = keep;
        return true;
    }
}
