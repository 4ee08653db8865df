using System.Collections.Generic;
using Pcap.Engine.Bpf;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Compiler;

/// <summary>icode_to_fcode: lays the block graph out as instructions, adding long jumps where an offset exceeds 255.</summary>
internal static class Assembler
{
    public static Instruction[] Assemble(Block root)
    {
        root = SkipEmptyJumps(root);
        var order = Layout(root);
        // Per block: how many extra "ja" instructions follow its conditional jump (for far true/false targets).
        var extra = new int[order.Count];
        while (true)
        {
            var start = new int[order.Count + 1];
            int pc = 0;
            for (int i = 0; i < order.Count; i++)
            {
                start[i] = pc;
                pc += order[i].Stmts.Count + JumpLength(order[i]) + extra[i];
            }
            bool changed = false;
            for (int i = 0; i < order.Count; i++)
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
                var code = new List<Instruction>(pc);
                for (int i = 0; i < order.Count; i++) Emit(order[i], start, extra[i], code);
                StoreUnsetCells(code);
                return [.. code];
            }
        }
    }

    /// <summary>
    /// Where a program can load a scratch cell that no path stored (libpcap's code after geneve or PPPoE on
    /// 802.11 does; its interpreter then reads uninitialised memory), store zero there first: A is 0 at entry.
    /// </summary>
    private static void StoreUnsetCells(List<Instruction> code)
    {
        uint unset = UnsetCellsRead(code);
        int at = 0;
        for (int k = 0; k < 16; k++)
            if ((unset & (1u << k)) != 0) code.Insert(at++, new Instruction((ushort)Op.ST, 0, 0, (uint)k));
    }

    private static uint UnsetCellsRead(List<Instruction> p)
    {
        var stored = new uint?[p.Count + 1];
        stored[0] = 0;
        uint unset = 0;
        void Merge(int at, uint s)
        {
            if (at < stored.Length) stored[at] = stored[at] is uint old ? old & s : s;
        }
        for (int i = 0; i < p.Count; i++)
        {
            if (stored[i] is not uint s) continue;
            var ins = p[i];
            int cls = ins.Code & 7;
            if ((cls == Op.LD || cls == Op.LDX) && (ins.Code & 0xe0) == Op.MEM && (s & (1u << (int)(ins.K & 15))) == 0)
                unset |= 1u << (int)(ins.K & 15);
            if (cls == Op.ST || cls == Op.STX) s |= 1u << (int)(ins.K & 15);
            if (cls == Op.RET) continue;
            if (cls == Op.JMP)
            {
                if ((ins.Code & 0xf0) == Op.JA) Merge(i + 1 + (int)ins.K, s);
                else { Merge(i + 1 + ins.Jt, s); Merge(i + 1 + ins.Jf, s); }
                continue;
            }
            Merge(i + 1, s);
        }
        return unset;
    }

    private static bool IsConditional(Block b) => Op.Class(b.JumpCode) == Op.JMP && (b.JumpCode & 0xf0) != Op.JA;

    /// <summary>An unconditional jump to the block laid out next is left out.</summary>
    private static int JumpLength(Block b) => Op.Class(b.JumpCode) == Op.JMP && (b.JumpCode & 0xf0) == Op.JA && b.Jt!.Id == b.Id + 1 ? 0 : 1;

    private static Block SkipEmptyJumps(Block root)
    {
        static Block Resolve(Block b)
        {
            while (!b.IsReturn && Op.Class(b.JumpCode) == Op.JMP && (b.JumpCode & 0xf0) == Op.JA && b.Stmts.Count == 0) b = b.Jt!;
            return b;
        }
        root = Resolve(root);
        int mark = Optimizer.NewMark();
        root.Mark = mark;
        var stack = new Stack<Block>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var b = stack.Pop();
            if (b.IsReturn) continue;
            b.Jt = Resolve(b.Jt!);
            b.Jf = Resolve(b.Jf!);
            if (b.Jt.Mark != mark) { b.Jt.Mark = mark; stack.Push(b.Jt); }
            if (b.Jf.Mark != mark) { b.Jf.Mark = mark; stack.Push(b.Jf); }
        }
        return root;
    }

    /// <summary>Blocks in an order where every jump goes forward, numbered in that order.</summary>
    private static List<Block> Layout(Block root)
    {
        var order = Optimizer.TopoOrder(root);
        for (int i = 0; i < order.Count; i++) order[i].Id = i;
        return order;
    }

    private static void Emit(Block b, int[] start, int extra, List<Instruction> code)
    {
        foreach (var s in b.Stmts) code.Add(new Instruction((ushort)s.Code, 0, 0, s.K));
        if (b.IsReturn) { code.Add(new Instruction((ushort)b.JumpCode, 0, 0, b.K)); return; }
        int at = code.Count;
        if (!IsConditional(b))
        {
            if (JumpLength(b) == 0) return;
            code.Add(new Instruction((ushort)(Op.JMP | Op.JA), 0, 0, (uint)(start[b.Jt!.Id] - (at + 1))));
            return;
        }
        int tTarget = start[b.Jt!.Id], fTarget = start[b.Jf!.Id];
        int next = at + 1;
        int slot = next;
        int jt, jf;
        var tail = new List<Instruction>();
        if (tTarget - next > 255) { jt = slot - next; tail.Add(new Instruction((ushort)(Op.JMP | Op.JA), 0, 0, (uint)(tTarget - (slot + 1)))); slot++; }
        else jt = tTarget - next;
        if (fTarget - next > 255) { jf = slot - next; tail.Add(new Instruction((ushort)(Op.JMP | Op.JA), 0, 0, (uint)(fTarget - (slot + 1)))); slot++; }
        else jf = fTarget - next;
        // Padding keeps the precomputed layout when fewer long jumps were needed than reserved.
        code.Add(new Instruction((ushort)b.JumpCode, (byte)(jt + 0), (byte)(jf + 0), b.K));
        code.AddRange(tail);
        for (int i = tail.Count; i < extra; i++) code.Add(new Instruction((ushort)(Op.JMP | Op.JA), 0, 0, 0));
    }
}
