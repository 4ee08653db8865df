using System.Collections.Generic;

namespace Pcap.Engine.Compiler;

/// <summary>
/// optimize.c's job, in a smaller form: fold tests whose outcome is constant (within a block, through
/// scratch cells), thread jumps over tests already decided on every path by an earlier identical
/// packet-load test, and drop empty unconditional blocks. Verdicts never change.
/// </summary>
internal static class Optimizer
{
    /// <summary>
    /// Optimises the graph. <paramref name="rejectsAll"/> is decided after folding and threading (and libpcap's jset rule),
    /// which find what libpcap's optimiser finds; the statement-level passes after it only shrink code.
    /// </summary>
    public static Block Optimize(Block root, out bool rejectsAll)
    {
        // libpcap runs both passes (the second refuses divisions by a known zero) and decides "rejects all"
        // on its final program: constants folded through scratch cells ("1 > 2") and its peephole's
        // "jset #0xffffffff" rule (below) can make it reject everything.
        Fixpoint(root, statements: false);
        int blocks = Reachable(root).Count;
        root = Skip(root);
        // Skipping the blocks that constant tests became lets threading reach past them: once more then.
        if (Reachable(root).Count != blocks)
        {
            Fixpoint(root, statements: false);
            root = Skip(root);
        }
        Fixpoint(root, statements: true);
        root = Skip(root);
        rejectsAll = RejectsAll(root);
        return root;
    }

    private static void Fixpoint(Block root, bool statements)
    {
        for (int pass = 0; pass < 16; pass++)
        {
            bool changed = false;
            // libpcap's opt_blk: a block starts with the values all its predecessors end with (nothing known at
            // the root), so a constant A left by one block decides the next one's test ("byte 3 & 4" loads nothing).
            var order = TopoOrder(root);
            var preds = Predecessors(order);
            var exits = new Dictionary<Block, Registers>();
            foreach (var b in order)
            {
                var entry = Registers.Meet(preds.GetValueOrDefault(b), exits);
                changed |= FoldConstant(b, b == root, entry, out var exit) | FoldJsetBounds(b) | FoldSameTargets(b);
                exits[b] = exit;
            }
            changed |= Thread(root);
            if (statements) changed |= Peephole.Run(TopoOrder(root));
            if (!changed) break;
        }
    }

    private static List<Block> Reachable(Block root)
    {
        var list = new List<Block>();
        var seen = new HashSet<Block> { root };
        var stack = new Stack<Block>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var b = stack.Pop();
            list.Add(b);
            if (b.IsReturn) continue;
            foreach (var c in new[] { b.Jt, b.Jf })
                if (c != null && seen.Add(c)) stack.Push(c);
        }
        return list;
    }

    private static bool IsConditional(Block b) => Op.Class(b.JumpCode) == Op.JMP && (b.JumpCode & 0xf0) != Op.JA;

    private static bool Evaluate(int jump, uint a, uint k) => (jump & 0xf0) switch
    {
        Op.JEQ => a == k, Op.JGT => a > k, Op.JGE => a >= k, _ => (a & k) != 0,
    };

    /// <summary>
    /// libpcap 1.10.3's opt_peep: "jset #0" never jumps, and "jset #0xffffffff" is taken as always
    /// jumping, which is wrong when A is 0. Kept, so that verdicts and "rejects all packets" are libpcap's.
    /// </summary>
    private static bool FoldJsetBounds(Block b)
    {
        if (b.JumpCode != (Op.JMP | Op.JSET | Op.K) || b.Jt == b.Jf) return false;
        if (b.K == 0) b.Jt = b.Jf;
        else if (b.K == 0xffffffff) b.Jf = b.Jt;
        else return false;
        return true;
    }

    /// <summary>A conditional block whose A is a known constant at its jump becomes an unconditional one.</summary>
    private static bool FoldConstant(Block b, bool isRoot, Registers entry, out Registers exit)
    {
        uint? a = entry.A, x = entry.X;
        var mem = (uint?[])entry.Mem.Clone();
        bool zeroRule = b.DecidedByZeroRule && isRoot;
        foreach (var s in b.Stmts)
        {
            int cls = Op.Class(s.Code);
            switch (cls)
            {
                case Op.LD:
                    a = Op.Mode(s.Code) switch { Op.IMM => s.K, Op.MEM => mem[s.K & 15], _ => null };
                    break;
                case Op.LDX:
                    x = Op.Mode(s.Code) switch { Op.IMM => s.K, Op.MEM => mem[s.K & 15], _ => null };
                    break;
                case Op.ST: mem[s.K & 15] = a; break;
                case Op.STX: mem[s.K & 15] = x; break;
                case Op.ALU:
                    {
                        uint? r = Op.Src(s.Code) == Op.X ? x : s.K;
                        // The zero rule ("op #0") decides the root's test only (see below).
                        a = zeroRule && r == 0 && Op.AluOp(s.Code) is Op.MUL or Op.AND ? 0 : Alu(s.Code, a, r);
                        break;
                    }
                case Op.MISC:
                    if ((s.Code & 0xf8) == Op.TXA) a = x; else x = a;
                    break;
            }
        }
        exit = new Registers(a, x, mem);
        if (!IsConditional(b) || Op.Src(b.JumpCode) == Op.X) return false;
        // A test decided by libpcap's zero rules ("& 0", "* 0") is decided in its optimiser's last pass, which
        // leaves the block in place (both edges to one target) unless it is the root: "ip[0] * 0 = 1" compiles,
        // "link[0] * 0 = 1" rejects all packets. Left as it is here, with the same verdicts.
        if (b.DecidedByZeroRule && !isRoot) return false;
        if (a is not uint av) return false;
        var target = Evaluate(b.JumpCode, av, b.K) ? b.Jt : b.Jf;
        b.JumpCode = Op.JMP | Op.JA;
        b.K = 0;
        b.Jt = b.Jf = target;
        return true;
    }

    internal static Dictionary<Block, List<Block>> Predecessors(List<Block> order)
    {
        var preds = new Dictionary<Block, List<Block>>();
        foreach (var b in order)
        {
            if (b.IsReturn) continue;
            foreach (var c in b.Jt == b.Jf ? new[] { b.Jt } : new[] { b.Jt, b.Jf })
            {
                if (c == null) continue;
                if (!preds.TryGetValue(c, out var l)) preds[c] = l = [];
                l.Add(b);
            }
        }
        return preds;
    }

    /// <summary>A test whose two outcomes lead to the same place decides nothing.</summary>
    private static bool FoldSameTargets(Block b)
    {
        if (!IsConditional(b) || b.Jt != b.Jf) return false;
        b.JumpCode = Op.JMP | Op.JA;
        b.K = 0;
        return true;
    }

    private static uint? Alu(int code, uint? a, uint? r)
    {
        int op = Op.AluOp(code);
        if (op == Op.NEG) return a is uint n ? (uint)-(int)n : null;
        if (a is not uint x || r is not uint y) return null;
        return op switch
        {
            Op.ADD => x + y, Op.SUB => x - y, Op.MUL => x * y, Op.DIV => y == 0 ? null : x / y, Op.MOD => y == 0 ? null : x % y,
            Op.AND => x & y, Op.OR => x | y, Op.XOR => x ^ y, Op.LSH => y < 32 ? x << (int)y : 0, Op.RSH => y < 32 ? x >> (int)y : 0,
            _ => null,
        };
    }

    /// <summary>
    /// The key of a test on packet data alone, or null: loads from the packet (absolute, or indexed by an X
    /// the block computes itself, from the packet or from a scratch cell in <paramref name="stable"/>) and
    /// ALU operations. A variable link-layer offset (pflog) is such a cell: the prologue stores it once, so
    /// tests through it compare the same value wherever they are, as libpcap's value numbering finds.
    /// </summary>
    private static string? PureTestKey(Block b, uint stable)
    {
        if (!IsConditional(b) || Op.Src(b.JumpCode) == Op.X) return null;
        // The longest tail of the block that computes A from those alone (the entry block's test comes
        // after the prologue that computes the offsets).
        for (int start = 0; start < b.Stmts.Count; start++)
            if (TailKey(b.Stmts, start, stable) is string key) return key;
        return null;
    }

    private static string? TailKey(List<Stmt> stmts, int start, uint stable)
    {
        var sb = new System.Text.StringBuilder();
        bool defA = false, defX = false;
        for (int i = start; i < stmts.Count; i++)
        {
            var s = stmts[i];
            int mode = Op.Mode(s.Code);
            switch (Op.Class(s.Code))
            {
                case Op.LD:
                    if (!(mode is Op.ABS or Op.LEN or Op.IMM || (mode == Op.IND && defX))) return null;
                    defA = true;
                    break;
                case Op.LDX:
                    if (!(mode is Op.MSH or Op.IMM || (mode == Op.MEM && (stable & 1u << (int)(s.K & 15)) != 0))) return null;
                    defX = true;
                    break;
                case Op.ALU:
                    if (!defA || (Op.Src(s.Code) == Op.X && !defX)) return null;
                    break;
                case Op.MISC:
                    if ((s.Code & 0xf8) == Op.TXA) { if (!defX) return null; defA = true; }
                    else { if (!defA) return null; defX = true; }
                    break;
                default: return null;
            }
            sb.Append(s.Code).Append(':').Append(s.K).Append(';');
        }
        return defA ? sb.ToString() : null;
    }

    /// <summary>Scratch cells the entry block stores and no other block does: the same value everywhere after it.</summary>
    private static uint StableCells(Block root)
    {
        uint inRoot = 0, elsewhere = 0;
        foreach (var b in Reachable(root))
            foreach (var s in b.Stmts)
                if (Op.Class(s.Code) is Op.ST or Op.STX)
                {
                    if (b == root) inRoot |= 1u << (int)(s.K & 15);
                    else elsewhere |= 1u << (int)(s.K & 15);
                }
        return inRoot & ~elsewhere;
    }

    /// <summary>Does the block compute everything it uses (A, X) before using it?</summary>
    private static bool SelfContained(Block b)
    {
        if (b.IsReturn) return Op.Src(b.JumpCode) == 0 || b.JumpCode == (Op.RET | Op.K);
        bool defA = false, defX = false;
        foreach (var s in b.Stmts)
        {
            int cls = Op.Class(s.Code);
            switch (cls)
            {
                case Op.LD: if (Op.Mode(s.Code) == Op.IND && !defX) return false; defA = true; break;
                case Op.LDX: if (Op.Mode(s.Code) == Op.MSH) { } defX = true; break;
                case Op.ST: if (!defA) return false; break;
                case Op.STX: if (!defX) return false; break;
                case Op.ALU: if (!defA || (Op.Src(s.Code) == Op.X && !defX)) return false; break;
                case Op.MISC:
                    if ((s.Code & 0xf8) == Op.TXA) { if (!defX) return false; defA = true; }
                    else { if (!defA) return false; defX = true; }
                    break;
            }
        }
        if (Op.Class(b.JumpCode) == Op.JMP && (b.JumpCode & 0xf0) != Op.JA)
            return defA && (Op.Src(b.JumpCode) != Op.X || defX);
        return true;
    }

    private static bool CannotFail(Block b)
    {
        foreach (var s in b.Stmts)
        {
            int cls = Op.Class(s.Code);
            if (cls is Op.LD or Op.LDX && Op.Mode(s.Code) is Op.ABS or Op.IND or Op.MSH) return false;
            if (cls == Op.ALU && Op.AluOp(s.Code) is Op.DIV or Op.MOD && Op.Src(s.Code) == Op.X) return false;
        }
        return true;
    }

    /// <summary>Does every path end in "ret #0"? (libpcap's optimiser then leaves just that and pcap_compile refuses.)</summary>
    private static bool RejectsAll(Block root)
    {
        foreach (var b in Reachable(root))
            if (b.IsReturn && (b.JumpCode != (Op.RET | Op.K) || b.K != 0)) return false;
        return true;
    }

    private static bool HasStores(Block b)
    {
        foreach (var s in b.Stmts) if (Op.Class(s.Code) is Op.ST or Op.STX) return true;
        return false;
    }

    /// <summary>An earlier test on every path here: the tested value (interned key), the test and its outcome.</summary>
    private readonly record struct Fact(int Key, int Jump, uint K, bool Taken);

    /// <summary>Jump threading: an edge into a test already decided on that edge goes straight to the outcome.</summary>
    private static bool Thread(Block root)
    {
        var order = TopoOrder(root);
        var keys = new Dictionary<Block, int>();
        var interned = new Dictionary<string, int>();
        uint stable = StableCells(root);
        int KeyOf(Block b)
        {
            if (keys.TryGetValue(b, out int k)) return k;
            string? text = PureTestKey(b, stable);
            if (text == null) k = -1;
            else if (!interned.TryGetValue(text, out k)) interned[text] = k = interned.Count;
            keys[b] = k;
            return k;
        }
        var entry = new Dictionary<Block, List<Fact>?>();
        entry[root] = [];
        bool changed = false;
        foreach (var b in order)
        {
            var facts = entry.TryGetValue(b, out var f) && f != null ? f : [];
            if (b.IsReturn) continue;
            int key = KeyOf(b);
            foreach (bool branch in new[] { true, false })
            {
                var edgeFacts = new List<Fact>(facts);
                if (key >= 0) edgeFacts.Add(new Fact(key, b.JumpCode, b.K, branch));
                var target = branch ? b.Jt! : b.Jf!;
                for (int guard = 0; guard < 64; guard++)
                {
                    var outcome = Decide(target, KeyOf(target), edgeFacts);
                    if (outcome == null || HasStores(target)) break;
                    var next = outcome.Value ? target.Jt! : target.Jf!;
                    if (!SelfContained(next)) break;
                    target = next;
                    changed = true;
                }
                if (branch) b.Jt = target; else b.Jf = target;
                if (!IsConditional(b)) b.Jf = b.Jt;
                // Facts reaching a block: those true on every edge into it.
                if (entry.TryGetValue(target, out var existing))
                {
                    if (existing != null && existing.Count > 0)
                    {
                        var set = new HashSet<Fact>(edgeFacts);
                        entry[target] = existing.FindAll(set.Contains);
                    }
                }
                else entry[target] = edgeFacts;
                if (!IsConditional(b)) break;
            }
        }
        return changed;
    }

    /// <summary>
    /// The outcome of test c given earlier tests of the same value: what libpcap's fold_edge knows (the
    /// same test, or a different "jeq" after a taken "jeq"), no more: "pim and esis" (a "jgt" of the type
    /// field after a taken "jeq") is left for run time, and compiles, as in libpcap.
    /// </summary>
    private static bool? Decide(Block c, int key, List<Fact> facts)
    {
        if (key < 0 || facts.Count == 0) return null;
        foreach (var f in facts)
        {
            if (f.Key != key) continue;
            if (f.Jump == c.JumpCode && f.K == c.K) return f.Taken;
            if (f.Taken && (f.Jump & 0xf0) == Op.JEQ && c.JumpCode == f.Jump)
                return Evaluate(c.JumpCode, f.K, c.K);
        }
        return null;
    }

    /// <summary>Blocks in an order where every jump goes forward: depth-first from the root, children before parents reversed.</summary>
    internal static List<Block> TopoOrder(Block root)
    {
        var post = new List<Block>();
        var expanded = new HashSet<Block>();
        var stack = new Stack<(Block, bool)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (b, done) = stack.Pop();
            if (done) { post.Add(b); continue; }
            if (!expanded.Add(b)) continue;
            stack.Push((b, true));
            if (b.IsReturn) continue;
            foreach (var c in new[] { b.Jf, b.Jt })
                if (c != null && !expanded.Contains(c)) stack.Push((c, false));
        }
        post.Reverse();
        return post;
    }

    /// <summary>Bypasses unconditional blocks with no statements.</summary>
    private static Block Skip(Block root)
    {
        static Block Resolve(Block b)
        {
            // Statements of an unconditional block are dead when they store nothing, cannot fail (a packet load past
            // the captured bytes rejects the packet) and the target computes what it uses.
            while (!b.IsReturn && !IsConditional(b) && (b.Stmts.Count == 0 || (CannotFail(b) && (b.Jt!.IsReturn || (!HasStores(b) && SelfContained(b.Jt!)))))) b = b.Jt!;
            return b;
        }
        root = Resolve(root);
        foreach (var b in Reachable(root))
        {
            if (b.IsReturn) continue;
            b.Jt = Resolve(b.Jt!);
            b.Jf = Resolve(b.Jf!);
        }
        return root;
    }
}
