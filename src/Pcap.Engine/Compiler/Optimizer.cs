using System.Collections.Generic;

namespace Pcap.Engine.Compiler;

/// <summary>
/// optimize.c's job, in a smaller form: fold tests whose outcome is constant (within a block, through
/// scratch cells), thread jumps over tests already decided on every path by an earlier identical
/// packet-load test, and drop empty unconditional blocks. Verdicts never change. One instance per
/// compilation: its walks' state is kept in arrays by block position, reused from pass to pass.
/// </summary>
internal sealed class Optimizer
{
    private readonly FlowGraph _graph = new();
    private readonly StmtKeys _keys = new();
    private readonly Peephole _peephole;
    private Registers[] _exits = [];
    private bool[] _ended = [];
    // Jump threading's state: each block's test key, the facts reaching it (slices of _facts).
    private int[] _testKeys = [];
    private FactSlice[] _entry = [];
    private Fact[] _facts = new Fact[64];
    private int _factCount;
    private HashSet<Fact>? _factSet;
    private HashSet<int>? _keySet;
    private long _settled; // the graph's version when a pass of folding and threading last changed nothing, or -1

    private Optimizer() => _peephole = new Peephole(_graph, _keys);

    /// <summary>
    /// An optimiser whose buffers a compilation that ended left (one is kept, for whichever thread comes
    /// next: no thread-local storage, which costs a call into the C library each time in a shared library).
    /// </summary>
    private static Optimizer? s_spare;

    /// <summary>
    /// Optimises the graph. <paramref name="rejectsAll"/> is decided after folding and threading (and libpcap's jset rule),
    /// which find what libpcap's optimiser finds; the statement-level passes after it only shrink code.
    /// </summary>
    public static Block Optimize(Block root, out bool rejectsAll)
    {
        var o = System.Threading.Interlocked.Exchange(ref s_spare, null) ?? new Optimizer();
        try { return o.Run(root, out rejectsAll); }
        finally
        {
            // Kept without the graph (and not when a huge expression made its buffers large).
            o._peephole.Release();
            if (o._graph.Release() && o._exits.Length <= 4096) { o._keys.Clear(); System.Threading.Volatile.Write(ref s_spare, o); }
        }
    }

    private Block Run(Block root, out bool rejectsAll)
    {
        _settled = -1;
        // libpcap runs both passes (the second refuses divisions by a known zero) and decides "rejects all"
        // on its final program: constants folded through scratch cells ("1 > 2") and its peephole's
        // "jset #0xffffffff" rule (below) can make it reject everything.
        Fixpoint(root, statements: false);
        int blocks = _graph.Order(); // all the blocks reachable
        root = Skip(root);
        _graph.Root = root;
        // Skipping the blocks that constant tests became lets threading reach past them: once more then.
        if (_graph.Order() != blocks)
        {
            Fixpoint(root, statements: false);
            root = Skip(root);
        }
        Fixpoint(root, statements: true);
        root = Skip(root);
        rejectsAll = RejectsAll(root);
        return root;
    }

    private void Fixpoint(Block root, bool statements)
    {
        _graph.Root = root;
        for (int pass = 0; pass < 16; pass++)
        {
            bool changed = false;
            long version = _graph.Version;
            // Folding and threading change nothing on a graph as their last pass that changed nothing left it.
            if (pass > 0 || version != _settled) changed = FoldAll(root) | Thread(root);
            _settled = -1;
            if (statements)
            {
                EnsureExits(_graph.Order());
                changed |= _peephole.Run(_exits, _ended);
            }
            if (!changed)
            {
                // Without the statement passes nothing but the edges could have changed.
                if (!statements && _graph.Version == version) _settled = version;
                break;
            }
        }
    }

    /// <summary>
    /// libpcap's opt_blk: a block starts with the values all its predecessors end with (nothing known at the
    /// root), so a constant A left by one block decides the next one's test ("byte 3 & 4" loads nothing).
    /// </summary>
    private bool FoldAll(Block root)
    {
        _graph.Predecessors();
        int count = _graph.Count;
        var order = _graph.Blocks;
        EnsureExits(count);
        System.Array.Clear(_ended, 0, count);
        bool changed = false, edges = false;
        for (int i = 0; i < count; i++)
        {
            var b = order[i];
            ref var regs = ref _exits[i];
            Registers.Meet(_graph.PredecessorsOf(i), _exits, _ended, ref regs);
            bool folded = FoldConstant(b, b == root, ref regs);
            bool jset = FoldJsetBounds(b);
            changed |= folded | jset | FoldSameTargets(b);
            edges |= folded | jset;
            _ended[i] = true;
        }
        if (edges) _graph.EdgesChanged();
        return changed;
    }

    private void EnsureExits(int count)
    {
        if (_exits.Length >= count) return;
        _exits = new Registers[2 * count];
        _ended = new bool[2 * count];
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

    /// <summary>
    /// A conditional block whose A is a known constant at its jump becomes an unconditional one.
    /// <paramref name="regs"/>: what is known on entry, then on exit.
    /// </summary>
    private static bool FoldConstant(Block b, bool isRoot, ref Registers regs)
    {
        bool zeroRule = b.DecidedByZeroRule && isRoot;
        foreach (var s in b.Stmts)
        {
            int cls = Op.Class(s.Code);
            switch (cls)
            {
                case Op.LD:
                    switch (Op.Mode(s.Code))
                    {
                        case Op.IMM: regs.SetA(s.K); break;
                        case Op.MEM: regs.LoadA(s.K); break;
                        default: regs.ForgetA(); break;
                    }
                    break;
                case Op.LDX:
                    switch (Op.Mode(s.Code))
                    {
                        case Op.IMM: regs.SetX(s.K); break;
                        case Op.MEM: regs.LoadX(s.K); break;
                        default: regs.ForgetX(); break;
                    }
                    break;
                case Op.ST:
                    regs.StoreA(s.K);
                    break;
                case Op.STX:
                    regs.StoreX(s.K);
                    break;
                case Op.ALU:
                    {
                        int op = Op.AluOp(s.Code);
                        bool hasR = Op.Src(s.Code) != Op.X || regs.HasX;
                        uint r = Op.Src(s.Code) == Op.X ? regs.X : s.K;
                        // The zero rule ("op #0") decides the root's test only (see below).
                        if (zeroRule && hasR && r == 0 && op is Op.MUL or Op.AND) regs.SetA(0);
                        else if (regs.HasA && (op == Op.NEG || hasR) && Registers.Alu(op, regs.A, r, out uint v)) regs.SetA(v);
                        else regs.ForgetA();
                        break;
                    }
                case Op.MISC:
                    if ((s.Code & 0xf8) == Op.TXA) regs.CopyXToA(); else regs.CopyAToX();
                    break;
            }
        }
        if (!IsConditional(b) || Op.Src(b.JumpCode) == Op.X) return false;
        // A test decided by libpcap's zero rules ("& 0", "* 0") is decided in its optimiser's last pass, which
        // leaves the block in place (both edges to one target) unless it is the root: "ip[0] * 0 = 1" compiles,
        // "link[0] * 0 = 1" rejects all packets. Left as it is here, with the same verdicts.
        if (b.DecidedByZeroRule && !isRoot) return false;
        if (!regs.HasA) return false;
        var target = Evaluate(b.JumpCode, regs.A, b.K) ? b.Jt : b.Jf;
        b.JumpCode = Op.JMP | Op.JA;
        b.K = 0;
        b.Jt = b.Jf = target;
        return true;
    }

    /// <summary>A test whose two outcomes lead to the same place decides nothing.</summary>
    private static bool FoldSameTargets(Block b)
    {
        if (!IsConditional(b) || b.Jt != b.Jf) return false;
        b.JumpCode = Op.JMP | Op.JA;
        b.K = 0;
        return true;
    }

    /// <summary>
    /// The key of a test on packet data alone (a <see cref="StmtKeys"/> number), or none: loads from the
    /// packet (absolute, or indexed by an X the block computes itself, from the packet or from a scratch
    /// cell in <paramref name="stable"/>) and ALU operations. A variable link-layer offset (pflog) is such a
    /// cell: the prologue stores it once, so tests through it compare the same value wherever they are, as
    /// libpcap's value numbering finds.
    /// </summary>
    private int PureTestKey(Block b, uint stable)
    {
        if (b.KeyStmts == b.Stmts && b.KeyJump == b.JumpCode && b.KeyStable == stable) return b.TestKey;
        int key = StmtKeys.None;
        if (IsConditional(b) && Op.Src(b.JumpCode) != Op.X)
        {
            // The longest tail of the block that computes A from those alone (the entry block's test comes
            // after the prologue that computes the offsets).
            for (int start = 0; start < b.Stmts.Count; start++)
                if (IsPureTail(b.Stmts, start, stable)) { key = _keys.Of(b.Stmts, start, b.Stmts.Count - start); break; }
        }
        b.KeyStmts = b.Stmts;
        b.KeyJump = b.JumpCode;
        b.KeyStable = stable;
        b.TestKey = key;
        return key;
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

    /// <summary>Scratch cells the entry block stores and no other block does: the same value everywhere after it.</summary>
    private static uint StableCells(Block root, Block[] blocks, int count)
    {
        uint inRoot = 0, elsewhere = 0;
        for (int i = 0; i < count; i++)
        {
            var b = blocks[i];
            foreach (var s in b.Stmts)
                if (Op.Class(s.Code) is Op.ST or Op.STX)
                {
                    if (b == root) inRoot |= 1u << (int)(s.K & 15);
                    else elsewhere |= 1u << (int)(s.K & 15);
                }
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
                case Op.LDX: defX = true; break;
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
    private bool RejectsAll(Block root)
    {
        _graph.Root = root;
        int count = _graph.Order();
        var blocks = _graph.Blocks;
        for (int i = 0; i < count; i++)
        {
            var b = blocks[i];
            if (b.IsReturn && (b.JumpCode != (Op.RET | Op.K) || b.K != 0)) return false;
        }
        return true;
    }

    private static bool HasStores(Block b)
    {
        foreach (var s in b.Stmts) if (Op.Class(s.Code) is Op.ST or Op.STX) return true;
        return false;
    }

    /// <summary>An earlier test on every path here: the tested value (a test key), the test and its outcome.</summary>
    private readonly record struct Fact(int Key, int Jump, uint K, bool Taken);

    /// <summary>Facts _facts[Start .. Start + Count); a Count of -1: no edge seen yet.</summary>
    private readonly record struct FactSlice(int Start, int Count)
    {
        public static readonly FactSlice Unseen = new(0, -1);
    }

    /// <summary>Jump threading: an edge into a test already decided on that edge goes straight to the outcome.</summary>
    private bool Thread(Block root)
    {
        int count = _graph.Order();
        var order = _graph.Blocks;
        if (_testKeys.Length < count)
        {
            _testKeys = new int[2 * count];
            _entry = new FactSlice[2 * count];
        }
        // Each block's test key (equal numbers for equal keys, None for none), by position in the order.
        uint stable = StableCells(root, order, count);
        for (int i = 0; i < count; i++)
        {
            _testKeys[i] = PureTestKey(order[i], stable);
            _entry[i] = FactSlice.Unseen;
        }
        if (!RepeatedKey(count))
        {
            // A test is decided only by an earlier one of the same value: nothing to thread. Unconditional
            // blocks still get their false edge set to their true one, as below.
            bool normalised = false;
            for (int i = 0; i < count; i++)
            {
                var b = order[i];
                if (b.IsReturn || IsConditional(b) || b.Jf == b.Jt) continue;
                b.Jf = b.Jt;
                normalised = true;
            }
            if (normalised) _graph.EdgesChanged();
            return false;
        }
        // Facts reaching each block (by position). A slice, once stored, never changes.
        _factCount = 0;
        _entry[root.Id] = default;
        bool changed = false, edges = false;
        for (int i = 0; i < count; i++)
        {
            var b = order[i];
            var facts = _entry[i];
            if (facts.Count < 0) facts = default;
            if (b.IsReturn) continue;
            int key = _testKeys[i];
            for (int side = 0; side < 2; side++)
            {
                bool branch = side == 0;
                var edgeFacts = facts;
                if (key >= 0) edgeFacts = Extend(facts, new Fact(key, b.JumpCode, b.K, branch));
                var target = branch ? b.Jt! : b.Jf!;
                for (int guard = 0; guard < 64; guard++)
                {
                    var outcome = Decide(target, _testKeys[target.Id], edgeFacts);
                    if (outcome == null || HasStores(target)) break;
                    var next = outcome.Value ? target.Jt! : target.Jf!;
                    if (!SelfContained(next)) break;
                    target = next;
                    changed = true;
                }
                if (branch) { edges |= b.Jt != target; b.Jt = target; }
                else { edges |= b.Jf != target; b.Jf = target; }
                if (!IsConditional(b)) { edges |= b.Jf != b.Jt; b.Jf = b.Jt; }
                // Facts reaching a block: those true on every edge into it.
                var existing = _entry[target.Id];
                if (existing.Count < 0) _entry[target.Id] = edgeFacts;
                else if (existing.Count > 0) _entry[target.Id] = Common(existing, edgeFacts);
                if (!IsConditional(b)) break;
            }
        }
        if (edges) _graph.EdgesChanged();
        return changed;
    }

    /// <summary>Do two blocks of the order have the same test key?</summary>
    private bool RepeatedKey(int count)
    {
        if (count <= 32)
        {
            for (int i = 1; i < count; i++)
            {
                int key = _testKeys[i];
                if (key < 0) continue;
                for (int j = 0; j < i; j++) if (_testKeys[j] == key) return true;
            }
            return false;
        }
        var seen = _keySet ??= [];
        seen.Clear();
        for (int i = 0; i < count; i++) if (_testKeys[i] >= 0 && !seen.Add(_testKeys[i])) return true;
        return false;
    }

    /// <summary>A new slice: <paramref name="facts"/> and then <paramref name="fact"/>.</summary>
    private FactSlice Extend(FactSlice facts, Fact fact)
    {
        EnsureFacts(facts.Count + 1);
        int start = _factCount;
        System.Array.Copy(_facts, facts.Start, _facts, start, facts.Count);
        _facts[start + facts.Count] = fact;
        _factCount += facts.Count + 1;
        return new FactSlice(start, facts.Count + 1);
    }

    private void EnsureFacts(int more)
    {
        if (_factCount + more > _facts.Length) System.Array.Resize(ref _facts, System.Math.Max(2 * _facts.Length, _factCount + more));
    }

    /// <summary>The facts of <paramref name="existing"/> (in its order) that <paramref name="other"/> holds too.</summary>
    private FactSlice Common(FactSlice existing, FactSlice other)
    {
        var others = new System.ReadOnlySpan<Fact>(_facts, other.Start, other.Count);
        bool large = other.Count > 16;
        var set = _factSet;
        if (large)
        {
            set = _factSet ??= [];
            set.Clear();
            foreach (var f in others) set.Add(f);
        }
        int kept = -1; // where the kept facts start, once one is left out
        for (int i = 0; i < existing.Count; i++)
        {
            var f = _facts[existing.Start + i];
            bool found = large ? set!.Contains(f) : System.MemoryExtensions.Contains(others, f);
            if (found && kept >= 0) _facts[_factCount++] = f;
            else if (!found && kept < 0)
            {
                EnsureFacts(existing.Count);
                others = new System.ReadOnlySpan<Fact>(_facts, other.Start, other.Count);
                kept = _factCount;
                System.Array.Copy(_facts, existing.Start, _facts, kept, i);
                _factCount += i;
            }
        }
        return kept < 0 ? existing : new FactSlice(kept, _factCount - kept);
    }

    /// <summary>
    /// The outcome of test c given earlier tests of the same value: what libpcap's fold_edge knows (the
    /// same test, or a different "jeq" after a taken "jeq"), no more: "pim and esis" (a "jgt" of the type
    /// field after a taken "jeq") is left for run time, and compiles, as in libpcap.
    /// </summary>
    private bool? Decide(Block c, int key, FactSlice facts)
    {
        if (key < 0 || facts.Count == 0) return null;
        foreach (var f in new System.ReadOnlySpan<Fact>(_facts, facts.Start, facts.Count))
        {
            if (f.Key != key) continue;
            if (f.Jump == c.JumpCode && f.K == c.K) return f.Taken;
            if (f.Taken && (f.Jump & 0xf0) == Op.JEQ && c.JumpCode == f.Jump)
                return Evaluate(c.JumpCode, f.K, c.K);
        }
        return null;
    }

    /// <summary>Bypasses unconditional blocks with no statements.</summary>
    private Block Skip(Block root)
    {
        bool edges = false;
        static Block Resolve(Block b)
        {
            // Statements of an unconditional block are dead when they store nothing, cannot fail (a packet load past
            // the captured bytes rejects the packet) and the target computes what it uses.
            while (!b.IsReturn && !IsConditional(b) && (b.Stmts.Count == 0 || (CannotFail(b) && (b.Jt!.IsReturn || (!HasStores(b) && SelfContained(b.Jt!)))))) b = b.Jt!;
            return b;
        }
        // Only unconditional blocks are bypassed: none, nothing to do (the order holds every block reachable).
        _graph.Root = root;
        int reachable = _graph.Order();
        bool any = false;
        for (int i = 0; i < reachable && !any; i++) any = !_graph.Blocks[i].IsReturn && !IsConditional(_graph.Blocks[i]);
        if (!any) return root;
        root = Resolve(root);
        int count = _graph.Reachable(root);
        var blocks = _graph.ReachableBlocks;
        for (int i = 0; i < count; i++)
        {
            var b = blocks[i];
            if (b.IsReturn) continue;
            var jt = Resolve(b.Jt!);
            edges |= jt != b.Jt;
            b.Jt = jt;
            var jf = Resolve(b.Jf!);
            edges |= jf != b.Jf;
            b.Jf = jf;
        }
        if (edges) _graph.EdgesChanged();
        return root;
    }
}
