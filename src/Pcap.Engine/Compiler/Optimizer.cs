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
            Predecessors(order);
            foreach (var b in order)
            {
                changed |= FoldConstant(b, b == root, Registers.Meet(b.Preds), out var exit) | FoldJsetBounds(b) | FoldSameTargets(b);
                b.Exit = exit;
            }
            changed |= Thread(root);
            if (statements) changed |= Peephole.Run(TopoOrder(root));
            if (!changed) break;
        }
    }

    private static List<Block> Reachable(Block root)
    {
        var list = new List<Block>();
        int mark = NewMark();
        root.Mark = mark;
        var stack = t_reachStack ??= new Stack<Block>();
        stack.Clear();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var b = stack.Pop();
            list.Add(b);
            if (b.IsReturn) continue;
            if (b.Jt != null && b.Jt.Mark != mark) { b.Jt.Mark = mark; stack.Push(b.Jt); }
            if (b.Jf != null && b.Jf.Mark != mark) { b.Jf.Mark = mark; stack.Push(b.Jf); }
        }
        return list;
    }

    /// <summary>Reachable's work stack, kept for the thread's next walk (it is empty between walks).</summary>
    [System.ThreadStatic] private static Stack<Block>? t_reachStack;

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
        var mem = entry.Mem;
        bool own = false; // the entry's cells are shared: copied before the first store
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
                case Op.ST:
                    if (!own) { mem = (uint?[])mem.Clone(); own = true; }
                    mem[s.K & 15] = a;
                    break;
                case Op.STX:
                    if (!own) { mem = (uint?[])mem.Clone(); own = true; }
                    mem[s.K & 15] = x;
                    break;
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
        exit = own || a != entry.A || x != entry.X ? new Registers(a, x, mem) : entry;
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

    /// <summary>
    /// Fills each block's <see cref="Block.Preds"/> (in <paramref name="order"/>'s order) and clears its
    /// <see cref="Block.Exit"/> for a new forward pass.
    /// </summary>
    internal static void Predecessors(List<Block> order)
    {
        foreach (var b in order)
        {
            b.Preds?.Clear();
            b.Exit = null;
        }
        foreach (var b in order)
        {
            if (b.IsReturn) continue;
            if (b.Jt != null) (b.Jt.Preds ??= []).Add(b);
            if (b.Jf != null && b.Jf != b.Jt) (b.Jf.Preds ??= []).Add(b);
        }
    }

    private static int s_mark;

    /// <summary>A number no earlier walk used, for <see cref="Block.Mark"/>.</summary>
    internal static int NewMark() => System.Threading.Interlocked.Increment(ref s_mark);

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
            if (IsPureTail(b.Stmts, start, stable)) return StmtKey(b.Stmts, start, b.Stmts.Count - start);
        return null;
    }

    private static bool IsPureTail(List<Stmt> stmts, int start, uint stable)
    {
        bool defA = false, defX = false;
        for (int i = start; i < stmts.Count; i++)
        {
            var s = stmts[i];
            int mode = Op.Mode(s.Code);
            switch (Op.Class(s.Code))
            {
                case Op.LD:
                    if (!(mode is Op.ABS or Op.LEN or Op.IMM || (mode == Op.IND && defX))) return false;
                    defA = true;
                    break;
                case Op.LDX:
                    if (!(mode is Op.MSH or Op.IMM || (mode == Op.MEM && (stable & 1u << (int)(s.K & 15)) != 0))) return false;
                    defX = true;
                    break;
                case Op.ALU:
                    if (!defA || (Op.Src(s.Code) == Op.X && !defX)) return false;
                    break;
                case Op.MISC:
                    if ((s.Code & 0xf8) == Op.TXA) { if (!defX) return false; defA = true; }
                    else { if (!defA) return false; defX = true; }
                    break;
                default: return false;
            }
        }
        return defA;
    }

    /// <summary>
    /// The statements stmts[start .. start + count) as a string that equals another such string exactly when
    /// the statements are the same: three characters each (code, high and low halves of k), so a key is a
    /// prefix of another exactly when its statements begin the other's.
    /// </summary>
    internal static string StmtKey(List<Stmt> stmts, int start, int count) =>
        string.Create(3 * count, (stmts, start), static (span, state) =>
        {
            for (int i = 0; i < span.Length / 3; i++)
            {
                var s = state.stmts[state.start + i];
                span[3 * i] = (char)s.Code;
                span[3 * i + 1] = (char)(s.K >> 16);
                span[3 * i + 2] = (char)s.K;
            }
        });

    /// <summary>The key of one statement (see <see cref="StmtKey(List{Stmt}, int, int)"/>).</summary>
    internal static string StmtKey(int code, uint k) => string.Create(3, (code, k), static (span, s) =>
    {
        span[0] = (char)s.code;
        span[1] = (char)(s.k >> 16);
        span[2] = (char)s.k;
    });

    /// <summary>Scratch cells the entry block stores and no other block does: the same value everywhere after it.</summary>
    private static uint StableCells(Block root, List<Block> reachable)
    {
        uint inRoot = 0, elsewhere = 0;
        foreach (var b in reachable)
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
        // Each block's test key (interned: equal ints for equal keys, -1 for none), by position in the order.
        var keys = new int[order.Count];
        var interned = new Dictionary<string, int>();
        uint stable = StableCells(root, order);
        foreach (var b in order)
        {
            string? text = PureTestKey(b, stable);
            int k = -1;
            if (text != null && !interned.TryGetValue(text, out k)) interned[text] = k = interned.Count;
            keys[b.Id] = k;
        }
        // Facts reaching each block (by position; null: no edge seen yet). A list, once stored, never changes.
        var entry = new List<Fact>?[order.Count];
        entry[root.Id] = NoFacts;
        bool changed = false;
        foreach (var b in order)
        {
            var facts = entry[b.Id] ?? NoFacts;
            if (b.IsReturn) continue;
            int key = keys[b.Id];
            for (int side = 0; side < 2; side++)
            {
                bool branch = side == 0;
                var edgeFacts = facts;
                if (key >= 0)
                {
                    edgeFacts = new List<Fact>(facts.Count + 1);
                    edgeFacts.AddRange(facts);
                    edgeFacts.Add(new Fact(key, b.JumpCode, b.K, branch));
                }
                var target = branch ? b.Jt! : b.Jf!;
                for (int guard = 0; guard < 64; guard++)
                {
                    var outcome = Decide(target, keys[target.Id], edgeFacts);
                    if (outcome == null || HasStores(target)) break;
                    var next = outcome.Value ? target.Jt! : target.Jf!;
                    if (!SelfContained(next)) break;
                    target = next;
                    changed = true;
                }
                if (branch) b.Jt = target; else b.Jf = target;
                if (!IsConditional(b)) b.Jf = b.Jt;
                // Facts reaching a block: those true on every edge into it.
                var existing = entry[target.Id];
                if (existing == null) entry[target.Id] = edgeFacts;
                else if (existing.Count > 0) entry[target.Id] = Common(existing, edgeFacts);
                if (!IsConditional(b)) break;
            }
        }
        return changed;
    }

    private static readonly List<Fact> NoFacts = [];

    /// <summary>The facts of <paramref name="existing"/> (in its order) that <paramref name="other"/> holds too.</summary>
    private static List<Fact> Common(List<Fact> existing, List<Fact> other)
    {
        if (other.Count > 16)
        {
            var set = new HashSet<Fact>(other);
            return existing.TrueForAll(set.Contains) ? existing : existing.FindAll(set.Contains);
        }
        List<Fact>? kept = null;
        for (int i = 0; i < existing.Count; i++)
        {
            bool found = other.Contains(existing[i]);
            if (found && kept != null) kept.Add(existing[i]);
            else if (!found && kept == null) kept = existing.GetRange(0, i);
        }
        return kept ?? existing;
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

    /// <summary>
    /// Blocks in an order where every jump goes forward: depth-first from the root, children before parents
    /// reversed; each block's <see cref="Block.Id"/> is its position.
    /// </summary>
    internal static List<Block> TopoOrder(Block root)
    {
        var post = new List<Block>(t_lastOrderCount);
        int mark = NewMark();
        // The work stack: a block to expand, or (done) one whose successors are all laid out.
        var blocks = t_stackBlocks ??= new Block[64];
        var done = t_stackDone ??= new bool[64];
        int n = 0;
        blocks[n] = root;
        done[n++] = false;
        int deepest = n;
        while (n > 0)
        {
            var b = blocks[--n];
            if (done[n]) { post.Add(b); continue; }
            if (b.Mark == mark) continue;
            b.Mark = mark;
            if (n + 3 > blocks.Length)
            {
                System.Array.Resize(ref blocks, blocks.Length * 2);
                System.Array.Resize(ref done, done.Length * 2);
                t_stackBlocks = blocks;
                t_stackDone = done;
            }
            blocks[n] = b;
            done[n++] = true;
            if (!b.IsReturn)
            {
                if (b.Jf != null && b.Jf.Mark != mark) { blocks[n] = b.Jf; done[n++] = false; }
                if (b.Jt != null && b.Jt.Mark != mark) { blocks[n] = b.Jt; done[n++] = false; }
            }
            if (n > deepest) deepest = n;
        }
        System.Array.Clear(blocks, 0, deepest); // the thread's buffer keeps no graph alive
        post.Reverse();
        for (int i = 0; i < post.Count; i++) post[i].Id = i;
        t_lastOrderCount = post.Count;
        return post;
    }

    /// <summary>TopoOrder's work stack, kept for the thread's next walk, and the size of its last order.</summary>
    [System.ThreadStatic] private static Block[]? t_stackBlocks;
    [System.ThreadStatic] private static bool[]? t_stackDone;
    [System.ThreadStatic] private static int t_lastOrderCount;

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
