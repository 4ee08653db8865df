using System.Collections.Generic;
using Pcap.Engine.Bpf;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Compiler;

/// <summary>icode_to_fcode: lays the block graph out as instructions, adding long jumps where an offset exceeds 255.</summary>
internal static class Assembler
{
    public static Instruction[] Assemble(Block root)
    {
        var graph = FlowGraph.Rent(SkipEmptyJumps(root));
        try { return Assemble(graph); }
        finally { graph.Return(); }
    }

    private static Instruction[] Assemble(FlowGraph graph)
    {
        // Laid out with jumps to empty unconditional blocks going to where those lead.
        int count = graph.Order(s_skipEmptyJumps);
        var order = graph.Blocks;
        // Per block: how many extra "ja" instructions follow its conditional jump (for far true/false targets).
        var extra = count < 256 ? stackalloc int[count] : new int[count];
        var start = count < 256 ? stackalloc int[count + 1] : new int[count + 1];
        extra.Clear();
        while (true)
        {
            int pc = 0;
            for (int i = 0; i < count; i++)
            {
                start[i] = pc;
                pc += order[i].Stmts.Count + JumpLength(order[i]) + extra[i];
            }
            bool changed = false;
            for (int i = 0; i < count; i++)
            {
                var b = order[i];
                if (!IsConditional(b)) continue;
                int jumpAt = start[i] + b.Stmts.Count;
                int need = 0;
                if (start[b.Jt!.Id] - (jumpAt + 1) - extra[i] > 255 || start[b.Jt.Id] - (jumpAt + 1) > 255) need++;
                if (start[b.Jf!.Id] - (jumpAt + 1) - extra[i] > 255 || start[b.Jf.Id] - (jumpAt + 1) > 255) need++;
                if (need > extra[i]) { extra[i] = need; changed = true; }
            }
            if (!changed)
            {
                var code = new Instruction[pc];
                int at = 0;
                for (int i = 0; i < count; i++) at = Emit(order[i], start, extra[i], code, at);
                return StoreUnsetCells(code);
            }
        }
    }

    /// <summary>
    /// Where a program can load a scratch cell that no path stored (libpcap's code after geneve or PPPoE on
    /// 802.11 does; its interpreter then reads uninitialised memory), store zero there first: A is 0 at entry.
    /// </summary>
    private static Instruction[] StoreUnsetCells(Instruction[] code)
    {
        uint unset = UnsetCellsRead(code);
        if (unset == 0) return code;
        var stores = System.Numerics.BitOperations.PopCount(unset);
        var program = new Instruction[stores + code.Length];
        int at = 0;
        for (int k = 0; k < 16; k++)
            if ((unset & (1u << k)) != 0) program[at++] = new Instruction((ushort)Op.ST, 0, 0, (uint)k);
        code.CopyTo(program, at);
        return program;
    }

    private static uint UnsetCellsRead(Instruction[] p)
    {
        bool loads = false;
        foreach (var ins in p) loads |= (ins.Code & 7) is Op.LD or Op.LDX && (ins.Code & 0xe0) == Op.MEM;
        if (!loads) return 0;
        // Per instruction: Reached and the cells stored on every path reaching it so far (0: no path yet).
        const uint Reached = 1u << 16;
        var stored = p.Length < 256 ? stackalloc uint[p.Length + 1] : new uint[p.Length + 1];
        stored.Clear();
        stored[0] = Reached;
        uint unset = 0;
        for (int i = 0; i < p.Length; i++)
        {
            if (stored[i] == 0) continue;
            uint s = stored[i];
            var ins = p[i];
            int cls = ins.Code & 7;
            if ((cls == Op.LD || cls == Op.LDX) && (ins.Code & 0xe0) == Op.MEM && (s & (1u << (int)(ins.K & 15))) == 0)
                unset |= 1u << (int)(ins.K & 15);
            if (cls == Op.ST || cls == Op.STX) s |= 1u << (int)(ins.K & 15);
            if (cls == Op.RET) continue;
            if (cls == Op.JMP)
            {
                if ((ins.Code & 0xf0) == Op.JA) Merge(stored, i + 1 + (int)ins.K, s);
                else { Merge(stored, i + 1 + ins.Jt, s); Merge(stored, i + 1 + ins.Jf, s); }
                continue;
            }
            Merge(stored, i + 1, s);
        }
        return unset;
    }

    private static void Merge(System.Span<uint> stored, int at, uint s)
    {
        if (at < stored.Length) stored[at] = stored[at] != 0 ? stored[at] & s : s;
    }

    private static bool IsConditional(Block b) => Op.Class(b.JumpCode) == Op.JMP && (b.JumpCode & 0xf0) != Op.JA;

    /// <summary>An unconditional jump to the block laid out next is left out.</summary>
    private static int JumpLength(Block b) => Op.Class(b.JumpCode) == Op.JMP && (b.JumpCode & 0xf0) == Op.JA && b.Jt!.Id == b.Id + 1 ? 0 : 1;

    private static readonly System.Func<Block, Block> s_skipEmptyJumps = SkipEmptyJumps;

    private static Block SkipEmptyJumps(Block b)
    {
        while (!b.IsReturn && Op.Class(b.JumpCode) == Op.JMP && (b.JumpCode & 0xf0) == Op.JA && b.Stmts.Count == 0) b = b.Jt!;
        return b;
    }

    /// <summary>Lays block b out at code[at ..]; returns where the next block starts.</summary>
    private static int Emit(Block b, System.ReadOnlySpan<int> start, int extra, Instruction[] code, int at)
    {
        foreach (var s in b.Stmts) code[at++] = new Instruction((ushort)s.Code, 0, 0, s.K);
        if (b.IsReturn) { code[at++] = new Instruction((ushort)b.JumpCode, 0, 0, b.K); return at; }
        if (!IsConditional(b))
        {
            if (JumpLength(b) == 0) return at;
            code[at] = new Instruction((ushort)(Op.JMP | Op.JA), 0, 0, (uint)(start[b.Jt!.Id] - (at + 1)));
            return at + 1;
        }
        int tTarget = start[b.Jt!.Id], fTarget = start[b.Jf!.Id];
        int next = at + 1;
        int slot = next;
        int jt, jf;
        // Far targets go through "ja" instructions right after the jump, the true one first.
        if (tTarget - next > 255) { jt = slot - next; code[slot] = new Instruction((ushort)(Op.JMP | Op.JA), 0, 0, (uint)(tTarget - (slot + 1))); slot++; }
        else jt = tTarget - next;
        if (fTarget - next > 255) { jf = slot - next; code[slot] = new Instruction((ushort)(Op.JMP | Op.JA), 0, 0, (uint)(fTarget - (slot + 1))); slot++; }
        else jf = fTarget - next;
        code[at] = new Instruction((ushort)b.JumpCode, (byte)jt, (byte)jf, b.K);
        // Padding keeps the precomputed layout when fewer long jumps were needed than reserved.
        for (; slot < next + extra; slot++) code[slot] = new Instruction((ushort)(Op.JMP | Op.JA), 0, 0, 0);
        return next + extra;
    }
}
