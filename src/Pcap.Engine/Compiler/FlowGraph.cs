namespace Pcap.Engine.Compiler;

/// <summary>
/// The block graph's walks (optimize.c's find_levels, find_inedges): blocks in an order where every jump
/// goes forward, each block's predecessors, and the blocks reachable from the root. The order and
/// predecessors are recomputed only after <see cref="EdgesChanged"/>: a walk of an unchanged graph gives the
/// same order. Buffers are kept for the next walk and, through <see cref="Rent"/>, the next compilation;
/// state per block is indexed by its <see cref="Block.Id"/>, the block's position in the order.
/// </summary>
internal sealed class FlowGraph
{
    private Block? _root;
    private Block[] _order = new Block[16];
    private bool _orderValid, _predsValid;
    private int[] _predStart = new int[17]; // block Id's predecessors: _preds[_predStart[id] .. _predStart[id + 1])
    private int[] _preds = new int[16];
    private int[] _fill = new int[16];
    private Block[] _stack = new Block[64];
    private bool[] _expanded = new bool[64];
    private Block[] _reachable = new Block[16];

    private int _orderUsed, _stackUsed, _reachableUsed; // how far the buffers hold blocks

    /// <summary>Buffers above this many blocks are not kept for another compilation.</summary>
    private const int KeptBlocks = 4096;

    private static FlowGraph? s_spare;

    /// <summary>A graph walker with another compilation's buffers if one is spare (see <see cref="Return"/>).</summary>
    public static FlowGraph Rent(Block root)
    {
        var g = System.Threading.Interlocked.Exchange(ref s_spare, null) ?? new FlowGraph();
        g.Root = root;
        return g;
    }

    /// <summary>Gives the buffers back for the next compilation.</summary>
    public void Return()
    {
        if (Release()) System.Threading.Volatile.Write(ref s_spare, this);
    }

    /// <summary>Drops every reference to the graph; false when the buffers are too large to keep.</summary>
    public bool Release()
    {
        _root = null;
        System.Array.Clear(_order, 0, _orderUsed);
        System.Array.Clear(_stack, 0, _stackUsed);
        System.Array.Clear(_reachable, 0, _reachableUsed);
        _orderUsed = _stackUsed = _reachableUsed = Count = 0;
        EdgesChanged();
        return _order.Length <= KeptBlocks && _stack.Length <= KeptBlocks && _reachable.Length <= KeptBlocks;
    }

    /// <summary>Blocks in the order (valid until <see cref="EdgesChanged"/> and the next <see cref="Order"/>).</summary>
    public Block[] Blocks => _order;
    public int Count { get; private set; }

    public Block Root
    {
        get => _root!;
        set
        {
            if (_root == value) return;
            _root = value;
            EdgesChanged();
        }
    }

    /// <summary>Says that a jump target changed: the next walk recomputes the order and predecessors.</summary>
    public void EdgesChanged()
    {
        _orderValid = _predsValid = false;
        Version++;
    }

    /// <summary>Counts <see cref="EdgesChanged"/> calls: the edges are as they were while it stays the same.</summary>
    public long Version { get; private set; }

    /// <summary>
    /// Depth-first from the root, children before parents, reversed (true edge first); each block's
    /// <see cref="Block.Id"/> is its position. Returns the number of blocks (in <see cref="Blocks"/>).
    /// </summary>
    public int Order() => Order(null);

    /// <summary>
    /// As <see cref="Order()"/>, each block's jump targets first replaced by <paramref name="resolve"/>'s
    /// choice (the root's is the caller's): blocks it bypasses are left out and keep their edges.
    /// </summary>
    public int Order(System.Func<Block, Block>? resolve)
    {
        if (_orderValid) return Count;
        int mark = NewMark();
        int count = 0;
        // The work stack: a block to expand, or (expanded) one whose successors are all laid out.
        var blocks = _stack;
        var expanded = _expanded;
        int n = 0;
        blocks[n] = _root!;
        expanded[n++] = false;
        int deepest = n;
        while (n > 0)
        {
            var b = blocks[--n];
            if (expanded[n])
            {
                if (count == _order.Length) System.Array.Resize(ref _order, count * 2);
                _order[count++] = b;
                continue;
            }
            if (b.Mark == mark) continue;
            b.Mark = mark;
            if (n + 3 > blocks.Length)
            {
                System.Array.Resize(ref _stack, blocks.Length * 2);
                System.Array.Resize(ref _expanded, blocks.Length * 2);
                blocks = _stack;
                expanded = _expanded;
            }
            blocks[n] = b;
            expanded[n++] = true;
            if (!b.IsReturn)
            {
                if (resolve != null)
                {
                    b.Jt = resolve(b.Jt!);
                    b.Jf = resolve(b.Jf!);
                }
                if (b.Jf != null && b.Jf.Mark != mark) { blocks[n] = b.Jf; expanded[n++] = false; }
                if (b.Jt != null && b.Jt.Mark != mark) { blocks[n] = b.Jt; expanded[n++] = false; }
            }
            if (n > deepest) deepest = n;
        }
        if (deepest > _stackUsed) _stackUsed = deepest;
        System.Array.Reverse(_order, 0, count);
        for (int i = 0; i < count; i++) _order[i].Id = i;
        Count = count;
        if (count > _orderUsed) _orderUsed = count;
        _orderValid = true;
        _predsValid = false;
        return count;
    }

    /// <summary>
    /// The Ids of block <paramref name="id"/>'s predecessors, in the order's order (of the order and edges
    /// when <see cref="Predecessors"/> last ran).
    /// </summary>
    public System.ReadOnlySpan<int> PredecessorsOf(int id) => new(_preds, _predStart[id], _predStart[id + 1] - _predStart[id]);

    /// <summary>Fills the predecessors of the current order's blocks (an edge to the same block twice counts once).</summary>
    public void Predecessors()
    {
        int count = Order();
        if (_predsValid) return;
        if (_predStart.Length < count + 1)
        {
            _predStart = new int[2 * count + 1];
            _fill = new int[2 * count];
        }
        System.Array.Clear(_predStart, 0, count + 1);
        int edges = 0;
        for (int i = 0; i < count; i++)
        {
            var b = _order[i];
            if (b.IsReturn) continue;
            if (b.Jt != null) { _predStart[b.Jt.Id + 1]++; edges++; }
            if (b.Jf != null && b.Jf != b.Jt) { _predStart[b.Jf.Id + 1]++; edges++; }
        }
        for (int i = 0; i < count; i++) _predStart[i + 1] += _predStart[i];
        if (_preds.Length < edges) _preds = new int[2 * edges];
        System.Array.Copy(_predStart, _fill, count);
        for (int i = 0; i < count; i++)
        {
            var b = _order[i];
            if (b.IsReturn) continue;
            if (b.Jt != null) _preds[_fill[b.Jt.Id]++] = i;
            if (b.Jf != null && b.Jf != b.Jt) _preds[_fill[b.Jf.Id]++] = i;
        }
        _predsValid = true;
    }

    /// <summary>
    /// The blocks reachable from <paramref name="root"/>, depth-first (false edge first), into
    /// <see cref="ReachableBlocks"/>; returns their number.
    /// </summary>
    public int Reachable(Block root)
    {
        int count = 0;
        int mark = NewMark();
        root.Mark = mark;
        var stack = _stack;
        int n = 0;
        stack[n++] = root;
        while (n > 0)
        {
            var b = stack[--n];
            if (count == _reachable.Length) System.Array.Resize(ref _reachable, count * 2);
            _reachable[count++] = b;
            if (b.IsReturn) continue;
            if (n + 2 > stack.Length)
            {
                System.Array.Resize(ref _stack, stack.Length * 2);
                System.Array.Resize(ref _expanded, stack.Length * 2);
                stack = _stack;
            }
            if (b.Jt != null && b.Jt.Mark != mark) { b.Jt.Mark = mark; stack[n++] = b.Jt; }
            if (b.Jf != null && b.Jf.Mark != mark) { b.Jf.Mark = mark; stack[n++] = b.Jf; }
            if (n > _stackUsed) _stackUsed = n;
        }
        if (count > _reachableUsed) _reachableUsed = count;
        return count;
    }

    /// <summary>The blocks of the last <see cref="Reachable"/> walk.</summary>
    public Block[] ReachableBlocks => _reachable;

    private static int s_mark;

    /// <summary>A number no earlier walk used, for <see cref="Block.Mark"/>.</summary>
    public static int NewMark() => System.Threading.Interlocked.Increment(ref s_mark);
}
