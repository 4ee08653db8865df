using System.Runtime.CompilerServices;

namespace Pcap.Engine.Compiler;

/// <summary>The 16 scratch cells (BPF_MEMWORDS).</summary>
[InlineArray(16)]
internal struct Cells
{
    private uint _cell;
}

/// <summary>
/// What optimize.c's value numbering knows at a block's edge, kept to constants: A, X and the scratch
/// cells, each known or not. A block starts with what all its predecessors end with (opt_blk).
/// </summary>
internal struct Registers
{
    private const uint AKnown = 1u << 16, XKnown = 1u << 17;

    private uint _known; // bit k: cell k; AKnown, XKnown
    private uint _a, _x;
    private Cells _mem;

    public readonly bool HasA => (_known & AKnown) != 0;
    public readonly bool HasX => (_known & XKnown) != 0;
    public readonly uint A => _a;
    public readonly uint X => _x;

    public void SetA(uint v) { _a = v; _known |= AKnown; }
    public void SetX(uint v) { _x = v; _known |= XKnown; }
    public void ForgetA() => _known &= ~AKnown;
    public void ForgetX() => _known &= ~XKnown;

    public readonly bool HasCell(uint k) => (_known & 1u << (int)(k & 15)) != 0;
    public readonly uint Cell(uint k) => _mem[(int)(k & 15)];

    /// <summary>A takes what cell k holds (known or not).</summary>
    public void LoadA(uint k)
    {
        if (HasCell(k)) SetA(Cell(k)); else ForgetA();
    }

    public void LoadX(uint k)
    {
        if (HasCell(k)) SetX(Cell(k)); else ForgetX();
    }

    /// <summary>Cell k takes what A holds (known or not).</summary>
    public void StoreA(uint k) => Store(k, HasA, _a);

    public void StoreX(uint k) => Store(k, HasX, _x);

    private void Store(uint k, bool known, uint v)
    {
        uint bit = 1u << (int)(k & 15);
        if (known) { _mem[(int)(k & 15)] = v; _known |= bit; }
        else _known &= ~bit;
    }

    public void CopyXToA() { if (HasX) SetA(_x); else ForgetA(); }
    public void CopyAToX() { if (HasA) SetX(_a); else ForgetX(); }

    /// <summary>
    /// Sets <paramref name="r"/> to what every predecessor ends with (<paramref name="exits"/> by block Id,
    /// <paramref name="ended"/>: that block's exit is set); nothing for the root or a block with none.
    /// </summary>
    public static void Meet(System.ReadOnlySpan<int> preds, Registers[] exits, bool[] ended, ref Registers r)
    {
        r._known = 0;
        if (preds.Length == 0) return;
        // A predecessor later in the order (none in a DAG) is not known yet.
        foreach (int p in preds) if (!ended[p]) return;
        ref readonly var first = ref exits[preds[0]];
        uint known = first._known;
        for (int i = 1; i < preds.Length && known != 0; i++)
        {
            ref readonly var e = ref exits[preds[i]];
            known &= e._known;
            if (first._a != e._a) known &= ~AKnown;
            if (first._x != e._x) known &= ~XKnown;
            for (uint cells = known & 0xffff; cells != 0; cells &= cells - 1)
            {
                int k = System.Numerics.BitOperations.TrailingZeroCount(cells);
                if (first._mem[k] != e._mem[k]) known &= ~(1u << k);
            }
        }
        // Only what is known is copied: unknown cells are never read.
        r._known = known;
        r._a = first._a;
        r._x = first._x;
        for (uint cells = known & 0xffff; cells != 0; cells &= cells - 1)
        {
            int k = System.Numerics.BitOperations.TrailingZeroCount(cells);
            r._mem[k] = first._mem[k];
        }
    }

    /// <summary>
    /// A BPF_ALU operation on constants (NEG ignores <paramref name="k"/>); false where the result is not
    /// known: a division or modulus by zero, or no such operation. Shifts past 31 bits give 0.
    /// </summary>
    public static bool Alu(int op, uint a, uint k, out uint result)
    {
        switch (op)
        {
            case Op.ADD: result = a + k; return true;
            case Op.SUB: result = a - k; return true;
            case Op.MUL: result = a * k; return true;
            case Op.DIV: result = k == 0 ? 0 : a / k; return k != 0;
            case Op.MOD: result = k == 0 ? 0 : a % k; return k != 0;
            case Op.AND: result = a & k; return true;
            case Op.OR: result = a | k; return true;
            case Op.XOR: result = a ^ k; return true;
            case Op.LSH: result = k < 32 ? a << (int)k : 0; return true;
            case Op.RSH: result = k < 32 ? a >> (int)k : 0; return true;
            case Op.NEG: result = (uint)-(int)a; return true;
            default: result = 0; return false;
        }
    }
}
