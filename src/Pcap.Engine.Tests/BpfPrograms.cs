using System;
using System.Collections.Generic;
using Pcap.Engine.Bpf;
using static Pcap.Engine.Bpf.Opcodes;

namespace Pcap.Engine.Tests;

/// <summary>Random BPF programs and packets for the differential tests.</summary>
static class BpfPrograms
{
    /// <summary>The opcodes libpcap 1.10.3's interpreter has a case for (it aborts on any other).</summary>
    public static readonly ushort[] Runnable =
    [
        Ret | K, Ret | A,
        Ld | W | Abs, Ld | H | Abs, Ld | B | Abs, Ld | W | Len, Ldx | W | Len,
        Ld | W | Ind, Ld | H | Ind, Ld | B | Ind, Ldx | Msh | B, Ld | Imm, Ldx | Imm,
        Ld | Mem, Ldx | Mem, St, Stx,
        Jmp | Ja, Jmp | Jgt | K, Jmp | Jge | K, Jmp | Jeq | K, Jmp | Jset | K,
        Jmp | Jgt | X, Jmp | Jge | X, Jmp | Jeq | X, Jmp | Jset | X,
        Alu | Add | X, Alu | Sub | X, Alu | Mul | X, Alu | Div | X, Alu | Mod | X, Alu | And | X,
        Alu | Or | X, Alu | Xor | X, Alu | Lsh | X, Alu | Rsh | X,
        Alu | Add | K, Alu | Sub | K, Alu | Mul | K, Alu | Div | K, Alu | Mod | K, Alu | And | K,
        Alu | Or | K, Alu | Xor | K, Alu | Lsh | K, Alu | Rsh | K,
        Alu | Neg, Misc | Tax, Misc | Txa,
    ];

    static readonly uint[] Edges = [0, 1, 2, 3, 4, 31, 32, 33, 0x7fffffff, 0x80000000, 0xfffffffc, 0xfffffffe, 0xffffffff, 0xfffff02c];

    static uint Value(Random r, int packetMax) => r.Next(4) switch
    {
        0 => Edges[r.Next(Edges.Length)],
        1 => (uint)r.Next(packetMax + 8),
        2 => (uint)r.Next(64),
        _ => (uint)r.NextInt64(0, 1L << 32),
    };

    /// <summary>
    /// A program libpcap can run: every M[] written first (libpcap leaves it uninitialised), then
    /// random runnable instructions with forward jumps inside the program, then a RET.
    /// </summary>
    public static Instruction[] RunnableProgram(Random r, int packetMax)
    {
        var code = new List<Instruction>();
        for (uint m = 0; m < MemWords; m++)
        {
            code.Add(new Instruction(Ld | Imm, 0, 0, Value(r, packetMax)));
            code.Add(new Instruction(St, 0, 0, m));
        }
        int body = r.Next(1, 30);
        int total = code.Count + body + 1;
        for (int i = 0; i < body; i++)
        {
            int at = code.Count;
            int room = total - at - 1; // instructions after this one
            ushort c = Runnable[r.Next(Runnable.Length)];
            uint k = Value(r, packetMax);
            byte jt = 0, jf = 0;
            switch (Class(c))
            {
                case Jmp:
                    if (Op(c) == Ja) k = (uint)r.Next(room);
                    jt = (byte)r.Next(Math.Min(room, 256));
                    jf = (byte)r.Next(Math.Min(room, 256));
                    break;
                case Ld or Ldx when Mode(c) == Mem:
                case St or Stx:
                    k = (uint)r.Next(MemWords);
                    break;
                case Alu when (Op(c) == Div || Op(c) == Mod) && Src(c) == K && k == 0:
                    k = 1;
                    break;
            }
            code.Add(new Instruction(c, jt, jf, k));
        }
        code.Add(r.Next(2) == 0 ? new Instruction(Ret | A, 0, 0, 0) : new Instruction(Ret | K, 0, 0, Value(r, packetMax)));
        return code.ToArray();
    }

    /// <summary>Anything: random codes from every class and field value, random jumps, random length.</summary>
    public static Instruction[] Arbitrary(Random r)
    {
        var code = new Instruction[r.Next(1, 10)];
        for (int i = 0; i < code.Length; i++)
        {
            ushort c = r.Next(3) switch
            {
                0 => Runnable[r.Next(Runnable.Length)],
                1 => (ushort)r.Next(256),
                _ => (ushort)r.Next(65536),
            };
            uint k = r.Next(3) == 0 ? Edges[r.Next(Edges.Length)] : (uint)r.Next(20);
            code[i] = new Instruction(c, (byte)(r.Next(2) == 0 ? r.Next(10) : r.Next(256)), (byte)r.Next(10), k);
        }
        if (r.Next(3) != 0) code[^1] = new Instruction((ushort)(Ret | (r.Next(2) * A)), 0, 0, (uint)r.Next(100));
        return code;
    }

    public static byte[] Packet(Random r, int max)
    {
        var p = new byte[r.Next(max + 1)];
        r.NextBytes(p);
        return p;
    }
}
