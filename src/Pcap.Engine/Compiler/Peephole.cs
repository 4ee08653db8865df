using Pcap.Engine.Handles;
using System.Collections.Generic;

namespace Pcap.Engine.Compiler;

/// <summary>
/// Statement-level optimisation: constants propagated through A, X and scratch cells within a block,
/// loads of a cell A already holds dropped, scratch stores nobody reads removed (liveness over the whole
/// graph), and definitions of A or X that nothing uses removed. Packet loads are never removed: one past
/// the captured bytes rejects the packet.
/// </summary>
internal sealed class Peephole(FlowGraph graph, StmtKeys keys)
{
    // State by block position in the order, kept for the next pass.
    private long[] _exitX = new long[16];
    private int[] _exitA = new int[16];
    private uint[] _liveCells = new uint[16];
    private byte[] _liveAX = new byte[16]; // LiveA | LiveX; Seen: computed
    private ExitMemo[] _exitMemo = new ExitMemo[16];
    private int _memoUsed; // how far _exitMemo holds statements

    private const byte LiveA = 1, LiveX = 2, Seen = 4;

    /// <summary>Drops the references to this compilation's statements.</summary>
    public void Release()
    {
        System.Array.Clear(_exitMemo, 0, _memoUsed);
        _memoUsed = 0;
    }

    /// <summary>One pass over the graph's blocks; <paramref name="exits"/> and <paramref name="ended"/> are the caller's buffers.</summary>
    public bool Run(Registers[] exits, bool[] ended)
    {
        bool changed = false;
        graph.Predecessors();
        int count = graph.Count;
        var blocks = graph.Blocks;
        if (_exitA.Length < count)
        {
            _exitA = new int[2 * count];
            _exitX = new long[2 * count];
            _liveCells = new uint[2 * count];
            _liveAX = new byte[2 * count];
            _exitMemo = new ExitMemo[2 * count];
        }
        System.Array.Clear(ended, 0, count);
        if (count > _memoUsed) _memoUsed = count;
        bool edges = false;
        for (int i = 0; i < count; i++)
        {
            ref var regs = ref exits[i];
            Registers.Meet(graph.PredecessorsOf(i), exits, ended, ref regs);
            changed |= Propagate(blocks[i], ref regs, ref edges);
            ended[i] = true;
        }
        changed |= DeadStores(blocks, count);
        changed |= DeadDefinitions(blocks, count);
        // Swapped branches leave each block's predecessors as they were, but not the order.
        changed |= RedundantLoads(blocks, count);
        if (edges) graph.EdgesChanged();
        return changed;
    }

    /// <summary>
    /// A block that starts by loading what A (or X) already holds on every edge into it drops that load:
    /// the same load already succeeded on the way in.
    /// </summary>
    private bool RedundantLoads(Block[] topo, int count)
    {
        // What A and X hold at each block's end (by position): the StmtKeys number of the loads that made A,
        // the statement that loaded X (Key), or None. Predecessors come earlier, so they are done first.
        bool changed = false;
        for (int i = 0; i < count; i++)
        {
            var b = topo[i];
            int inA = StmtKeys.None;
            long inX = NoX;
            var ps = graph.PredecessorsOf(i);
            if (ps.Length > 0)
            {
                inA = _exitA[ps[0]];
                inX = _exitX[ps[0]];
                foreach (int p in ps)
                {
                    if (_exitA[p] != inA) inA = StmtKeys.None;
                    if (_exitX[p] != inX) inX = NoX;
                }
            }
            if (inX != NoX && b.Stmts.Count > 0 && Op.Class(b.Stmts[0].Code) == Op.LDX && Key(b.Stmts[0]) == inX)
            {
                b.Stmts = b.Stmts.GetRange(1, b.Stmts.Count - 1);
                changed = true;
            }
            if (inA != StmtKeys.None)
            {
                // The block's leading definition of A, when it is what A holds.
                int n = PureLength(b.Stmts, 0);
                if (n > 0 && keys.FindOf(b.Stmts, 0, n) == inA)
                {
                    b.Stmts = b.Stmts.GetRange(n, b.Stmts.Count - n);
                    changed = true;
                }
            }
            // ExitKeys depends on the statements and the keys on entry alone: kept from the last pass when they are the same.
            ref var memo = ref _exitMemo[i];
            if (memo.Stmts != b.Stmts || memo.InA != inA || memo.InX != inX)
            {
                memo = new ExitMemo(b.Stmts, inA, inX, 0, 0);
                ExitKeys(b, ref inA, ref inX);
                memo.A = inA;
                memo.X = inX;
            }
            _exitA[i] = memo.A;
            _exitX[i] = memo.X;
        }
        return changed;
    }

    private const long NoX = -1;

    /// <summary>What <see cref="ExitKeys"/> gave for these statements and keys on entry.</summary>
    private record struct ExitMemo(List<Stmt>? Stmts, int InA, long InX, int A, long X);

    /// <summary>One statement as a number: its code and k.</summary>
    private static long Key(int code, uint k) => (long)code << 32 | k;

    private static long Key(Stmt s) => Key(s.Code, s.K);

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

    /// <summary>What A and X hold when the block ends, as keys of the loads that made them, or none.</summary>
    private void ExitKeys(Block b, ref int a, ref long x)
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
                        if (n > 0) { a = keys.Of(st, i, n); i += n - 1; }
                        else a = StmtKeys.None;
                        break;
                    }
                case Op.ALU:
                    a = a != StmtKeys.None && Op.Src(s.Code) == Op.K && Op.AluOp(s.Code) != Op.NEG ? keys.Append(a, s) : StmtKeys.None;
                    break;
                case Op.LDX:
                    x = Op.Mode(s.Code) is Op.MEM or Op.MSH or Op.IMM ? Key(s) : NoX;
                    break;
                case Op.ST: case Op.STX:
                    // A store to the cell X was loaded from makes that key stale.
                    if (x != NoX && x == Key(Op.LDX | Op.MEM, s.K)) x = NoX;
                    break;
                case Op.MISC:
                    if ((s.Code & 0xf8) == Op.TXA) a = StmtKeys.None; else x = NoX;
                    break;
            }
        }
    }

    private static bool IsConditional(Block b) => Op.Class(b.JumpCode) == Op.JMP && (b.JumpCode & 0xf0) != Op.JA;

    /// <summary>
    /// Forward pass over one block with what is known of A, X and the cells on entry (<paramref name="regs"/>,
    /// then what is known on exit). <paramref name="edges"/> is set when its branches are swapped.
    /// </summary>
    private static bool Propagate(Block b, ref Registers regs, ref bool edges)
    {
        uint sameAsA = 0; // cells holding what A holds
        List<Stmt>? output = null; // made at the first change, from the statements before it
        bool changed = false;
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
                            if (regs.HasCell(s.K)) { s = new Stmt(Op.LD | Op.IMM, regs.Cell(s.K)); changed = true; }
                        }
                        else if (mode == Op.IND && regs.HasX && (ulong)regs.X + s.K <= uint.MaxValue)
                        {
                            s = new Stmt(Op.LD | Op.ABS | Op.Size(s.Code), regs.X + s.K);
                            changed = true;
                        }
                        sameAsA = 0;
                        if (Op.Mode(s.Code) == Op.IMM) regs.SetA(s.K); else regs.ForgetA();
                        if (s0.Code == (Op.LD | Op.MEM)) sameAsA |= 1u << (int)(s0.K & 15);
                        break;
                    }
                case Op.LDX:
                    if (Op.Mode(s.Code) == Op.MEM && regs.HasCell(s.K)) { s = new Stmt(Op.LDX | Op.IMM, regs.Cell(s.K)); changed = true; }
                    if (Op.Mode(s.Code) == Op.IMM) regs.SetX(s.K); else regs.ForgetX();
                    break;
                case Op.ST:
                    regs.StoreA(s.K);
                    sameAsA |= 1u << (int)(s.K & 15);
                    break;
                case Op.STX:
                    regs.StoreX(s.K);
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
                        if (op != Op.NEG && Op.Src(s.Code) == Op.X && regs.HasX)
                        {
                            uint xk = regs.X;
                            if (xk == 0 && op == Op.DIV) throw new PcapException("division by zero");
                            if (xk == 0 && op == Op.MOD) throw new PcapException("modulus by zero");
                            if (xk > 31 && op is Op.LSH or Op.RSH && !regs.HasA) throw new PcapException("shift by more than 31 bits");
                            s = new Stmt(Op.ALU | op | Op.K, xk);
                            deferred = !regs.HasA;
                            changed = true;
                        }
                        bool known;
                        uint r = 0;
                        if (deferred) known = false;
                        else if (Op.Src(s.Code) == Op.K && op != Op.NEG && s.K == 0 && op is Op.MUL or Op.AND)
                        {
                            if (!regs.HasA) b.DecidedByZeroRule = true;
                            known = true;
                        }
                        else if (Op.Src(s.Code) == Op.X && op != Op.NEG && regs.HasA && regs.A == 0 && op is Op.MUL or Op.DIV or Op.MOD or Op.AND or Op.LSH or Op.RSH)
                        {
                            s = new Stmt(Op.LD | Op.IMM, 0);
                            changed = true;
                            b.DecidedByZeroRule = true;
                            known = true;
                        }
                        else known = regs.HasA && (op == Op.NEG || Op.Src(s.Code) == Op.K) && Registers.Alu(op, regs.A, s.K, out r);
                        sameAsA = 0;
                        if (known) regs.SetA(r); else regs.ForgetA();
                        break;
                    }
                case Op.MISC:
                    if ((s.Code & 0xf8) == Op.TXA) { sameAsA = 0; regs.CopyXToA(); }
                    else regs.CopyAToX();
                    break;
            }
            if (changed && output == null) output = b.Stmts.GetRange(0, i);
            if (!drop) output?.Add(s);
        }
        if (IsConditional(b) && Op.Src(b.JumpCode) == Op.X && regs.HasX)
        {
            b.JumpCode = (b.JumpCode & ~Op.X) | Op.K;
            b.K = regs.X;
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
            regs.ForgetA();
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
            edges = true;
            output.RemoveAt(output.Count - 1);
            regs.ForgetA();
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

    private bool DeadStores(Block[] topo, int count)
    {
        // By position in the order (Block.Id); successors come later, so they are done first.
        var liveIn = _liveCells;
        System.Array.Clear(liveIn, 0, count);
        bool changed = false;
        for (int i = count - 1; i >= 0; i--)
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
    private bool DeadDefinitions(Block[] topo, int count)
    {
        // By position in the order (Block.Id); successors come later, so they are done first.
        var liveIn = _liveAX; // LiveA, LiveX; Seen once done
        System.Array.Clear(liveIn, 0, count);
        bool changed = false;
        for (int i = count - 1; i >= 0; i--)
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
                    int l = (liveIn[succ.Id] & Seen) != 0 ? liveIn[succ.Id] : LiveA | LiveX;
                    liveA |= (l & LiveA) != 0;
                    liveX |= (l & LiveX) != 0;
                }
                if (IsConditional(b)) { liveA = true; liveX |= Op.Src(b.JumpCode) == Op.X; }
                changed |= Prune(b, liveA, liveX);
            }
            var (useA, useX, defA, defX) = Summary(b);
            liveIn[b.Id] = (byte)(Seen | (useA || (liveA && !defA) ? LiveA : 0) | (useX || (liveX && !defX) ? LiveX : 0));
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
