using System;
using System.Collections.Generic;
using Pcap.Engine.Bpf;
using Pcap.Engine.Interop;
using Xunit;
using static Pcap.Engine.Bpf.Opcodes;

namespace Pcap.Engine.Tests;

/// <summary>The translated code against the machine (the oracle) and the system libpcap's bpf_filter.</summary>
public unsafe class BpfTranslatorTests
{
    internal static TranslatedProgram Translate(Instruction[] code)
    {
        fixed (Instruction* c = code)
            Assert.True(Validator.IsValid(c, code.Length), "the translator takes valid programs only");
        var t = TranslatedProgram.Create(code);
        Assert.NotNull(t);
        return t!;
    }

    static uint Machine(Instruction[] code, byte* p, uint wire, uint buflen)
    {
        fixed (Instruction* c = code) return Bpf.Machine.Filter(c, (uint)code.Length, p, wire, buflen);
    }

    static uint Libpcap(Instruction[] code, byte* p, uint wire, uint buflen)
    {
        fixed (Instruction* c = code) return BpfReference.Filter(c, p, wire, buflen);
    }

    /// <summary>Translated, interpreted and libpcap's verdicts over a packet; libpcap's only where it is defined.</summary>
    static void Same(string name, Instruction[] code, byte[] packet, uint wire, uint buflen, bool askLibpcap = true)
    {
        using var t = Translate(code);
        fixed (byte* p = packet)
        {
            uint machine = Machine(code, p, wire, buflen), translated = t.Run(p, wire, buflen);
            uint libpcap = askLibpcap ? Libpcap(code, p, wire, buflen) : machine;
            if (machine != translated || machine != libpcap)
                Assert.Fail($"{name}: machine {machine}, translated {translated}, libpcap {libpcap}\n" + Image.Dump(code, 1));
        }
    }

    static byte[] Bytes(int n)
    {
        var b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte)(0xa0 + i * 7);
        return b;
    }

    [Fact]
    public void RandomProgramsGiveTheMachinesAndLibpcapsVerdicts()
    {
        var r = new Random(20261203);
        int compared = 0;
        for (int n = 0; n < 20000; n++)
        {
            var code = BpfPrograms.RunnableProgram(r, 64);
            using var t = Translate(code);
            // The checked form (bpf_filter's) too, run against the program it was translated from.
            using var c = TranslatedProgram.Create(code, checkProgram: true)!;
            for (int i = 0; i < 8; i++)
            {
                byte[] packet = BpfPrograms.Packet(r, 64);
                uint buflen = (uint)(i % 2 == 0 ? packet.Length : r.Next(packet.Length + 1));
                uint wire = buflen + (uint)r.Next(100);
                fixed (byte* p = packet)
                fixed (Instruction* program = code)
                {
                    uint machine = Machine(code, p, wire, buflen), translated = t.Run(p, wire, buflen), libpcap = Libpcap(code, p, wire, buflen);
                    ulong isChecked = c.RunChecked(p, wire, buflen, program);
                    if (machine != translated || machine != libpcap || isChecked != machine)
                        Assert.Fail($"program {n} packet {i}: machine {machine}, translated {translated}, checked {isChecked}, libpcap {libpcap}\n" + Image.Dump(code, 1));
                }
                compared++;
            }
        }
        Assert.Equal(160000, compared);
    }

    public static TheoryData<string, Instruction[]> Edges()
    {
        var data = new TheoryData<string, Instruction[]>();
        // Every load width at and past the end, and at offsets near 2^32 (the packet is 40 bytes).
        foreach (uint k in new uint[] { 0, 35, 36, 37, 38, 39, 40, 41, 0x7fffffff, 0x80000000, 0xfffffffa, 0xfffffffb, 0xfffffffc, 0xfffffffd, 0xfffffffe, 0xffffffff })
        {
            data.Add($"ld [{k}]", [new(Ld | W | Abs, 0, 0, k), new(Ret | A, 0, 0, 0)]);
            data.Add($"ldh [{k}]", [new(Ld | H | Abs, 0, 0, k), new(Ret | A, 0, 0, 0)]);
            data.Add($"ldb [{k}]", [new(Ld | B | Abs, 0, 0, k), new(Ret | A, 0, 0, 0)]);
            data.Add($"ldxb 4*([{k}]&0xf)", [new(Ldx | Msh | B, 0, 0, k), new(Misc | Txa, 0, 0, 0), new(Ret | A, 0, 0, 0)]);
            // X-indexed: X + k computed without wrapping, so these overflow 32 bits and reject.
            foreach (uint x in new uint[] { 0, 1, 3, 36, 0x80000000, 0xfffffffc, 0xffffffff })
            {
                data.Add($"ld [x+{k}] x={x}", [new(Ldx | Imm, 0, 0, x), new(Ld | W | Ind, 0, 0, k), new(Ret | A, 0, 0, 0)]);
                data.Add($"ldh [x+{k}] x={x}", [new(Ldx | Imm, 0, 0, x), new(Ld | H | Ind, 0, 0, k), new(Ret | A, 0, 0, 0)]);
                data.Add($"ldb [x+{k}] x={x}", [new(Ldx | Imm, 0, 0, x), new(Ld | B | Ind, 0, 0, k), new(Ret | A, 0, 0, 0)]);
            }
        }
        // Division and modulo by a zero X, and by constants.
        foreach (uint x in new uint[] { 0, 1, 7, 0xffffffff })
        {
            data.Add($"div x={x}", [new(Ld | Imm, 0, 0, 1000), new(Ldx | Imm, 0, 0, x), new(Alu | Div | X, 0, 0, 0), new(Ret | A, 0, 0, 0)]);
            data.Add($"mod x={x}", [new(Ld | Imm, 0, 0, 1000), new(Ldx | Imm, 0, 0, x), new(Alu | Mod | X, 0, 0, 0), new(Ret | A, 0, 0, 0)]);
            if (x != 0)
            {
                data.Add($"div #{x}", [new(Ld | Imm, 0, 0, 0xfffffff1), new(Alu | Div | K, 0, 0, x), new(Ret | A, 0, 0, 0)]);
                data.Add($"mod #{x}", [new(Ld | Imm, 0, 0, 0xfffffff1), new(Alu | Mod | K, 0, 0, x), new(Ret | A, 0, 0, 0)]);
            }
        }
        // Shifts: by X up to and past 32, by constants whose low five bits count.
        foreach (uint s in new uint[] { 0, 1, 31, 32, 33, 63, 64, 0xffffffff })
        {
            data.Add($"lsh x={s}", [new(Ld | Imm, 0, 0, 0x80000001), new(Ldx | Imm, 0, 0, s), new(Alu | Lsh | X, 0, 0, 0), new(Ret | A, 0, 0, 0)]);
            data.Add($"rsh x={s}", [new(Ld | Imm, 0, 0, 0x80000001), new(Ldx | Imm, 0, 0, s), new(Alu | Rsh | X, 0, 0, 0), new(Ret | A, 0, 0, 0)]);
            data.Add($"lsh #{s}", [new(Ld | Imm, 0, 0, 0x80000001), new(Alu | Lsh | K, 0, 0, s), new(Ret | A, 0, 0, 0)]);
            data.Add($"rsh #{s}", [new(Ld | Imm, 0, 0, 0x80000001), new(Alu | Rsh | K, 0, 0, s), new(Ret | A, 0, 0, 0)]);
        }
        data.Add("len, ret a", [new(Ld | W | Len, 0, 0, 0), new(Ret | A, 0, 0, 0)]);
        data.Add("ldx len, txa", [new(Ldx | W | Len, 0, 0, 0), new(Misc | Txa, 0, 0, 0), new(Ret | A, 0, 0, 0)]);
        data.Add("tax, x arithmetic",
        [
            new(Ld | B | Abs, 0, 0, 3), new(Misc | Tax, 0, 0, 0), new(Ld | H | Abs, 0, 0, 10), new(Alu | Mul | X, 0, 0, 0),
            new(Alu | Xor | X, 0, 0, 0), new(Alu | Sub | X, 0, 0, 0), new(Alu | Or | X, 0, 0, 0), new(Alu | And | X, 0, 0, 0),
            new(Alu | Add | X, 0, 0, 0), new(Alu | Neg, 0, 0, 0), new(Ret | A, 0, 0, 0),
        ]);
        data.Add("constant arithmetic",
        [
            new(Ld | W | Abs, 0, 0, 2), new(Alu | Add | K, 0, 0, 0xfffffff0), new(Alu | Sub | K, 0, 0, 3), new(Alu | Mul | K, 0, 0, 0x10001),
            new(Alu | Xor | K, 0, 0, 0x5a5a5a5a), new(Alu | Or | K, 0, 0, 0x100), new(Alu | And | K, 0, 0, 0xfff0fff0), new(Ret | A, 0, 0, 0),
        ]);
        data.Add("ret #k", [new(Ret | K, 0, 0, 0xffffffff)]);
        data.Add("ret a = 0 at the start", [new(Ret | A, 0, 0, 0)]);
        data.Add("x = 0 at the start", [new(Misc | Txa, 0, 0, 0), new(Alu | Add | K, 0, 0, 9), new(Ret | A, 0, 0, 0)]);
        // Scratch memory, stored then loaded, through A and X.
        var scratch = new List<Instruction>();
        for (uint m = 0; m < MemWords; m++)
        {
            scratch.Add(new(Ld | Imm, 0, 0, 100 + m * 3));
            scratch.Add(m % 2 == 0 ? new(St, 0, 0, m) : new(Misc | Tax, 0, 0, 0));
            if (m % 2 == 1) scratch.Add(new(Stx, 0, 0, m));
        }
        scratch.Add(new(Ld | Imm, 0, 0, 0));
        for (uint m = 0; m < MemWords; m++)
        {
            scratch.Add(new(Ldx | Mem, 0, 0, 15 - m));
            scratch.Add(new(Alu | Mul | K, 0, 0, 31));
            scratch.Add(new(Alu | Add | X, 0, 0, 0));
            scratch.Add(new(Ld | Mem, 0, 0, m));
            scratch.Add(new(Alu | Xor | X, 0, 0, 0));
        }
        scratch.Add(new(Ret | A, 0, 0, 0));
        data.Add("scratch memory", scratch.ToArray());
        // Jumps of each kind, taken and not, with both offsets.
        foreach (var (op, src) in new[] { (Jeq, K), (Jgt, K), (Jge, K), (Jset, K), (Jeq, X), (Jgt, X), (Jge, X), (Jset, X) })
            foreach (uint a in new uint[] { 0x0b, 0x0c, 0x0d, 0x80000000 })
                data.Add($"jump {op:x} {src:x} a={a}",
                [
                    new(Ld | Imm, 0, 0, a), new(Ldx | Imm, 0, 0, 0x0c), new((ushort)(Jmp | op | src), 1, 2, 0x0c),
                    new(Ret | K, 0, 0, 1), new(Ret | K, 0, 0, 2), new(Ret | K, 0, 0, 3),
                ]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Edges))]
    public void EdgesGiveTheMachinesAndLibpcapsVerdicts(string name, Instruction[] code)
    {
        var packet = Bytes(40);
        Same(name, code, packet, 60, 40);
        Same(name + " (cut to 3 bytes)", code, packet, 60, 3);
        Same(name + " (empty)", code, packet, 60, 0);
    }

    [Fact]
    public void LoadsBeyondTwoGigabytesReadThePacket()
    {
        // A packet of 2^32 - 1 bytes of address space (untouched pages read as zero) with marks near
        // its end: loads whose offset needs more than a signed 32-bit displacement.
        nuint size = unchecked((nuint)0x1_0000_1000L);
        byte* p = (byte*)Libc.Mmap(null, size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | 0x4000 /* MAP_NORESERVE */, -1, 0);
        Assert.True(p != Libc.MapFailed, "cannot map 4 GiB of address space");
        try
        {
            foreach (uint at in new uint[] { 0x80000000, 0xfffffff0 })
                for (uint i = 0; i < 15; i++) p[at + i] = (byte)(0x11 * (i + 1));
            const uint buflen = 0xffffffff;
            foreach (uint k in new uint[] { 0x80000000, 0x80000001, 0xfffffff0, 0xfffffffa, 0xfffffffb, 0xfffffffc, 0xfffffffd, 0xfffffffe })
            {
                Check($"ld [{k}]", [new(Ld | W | Abs, 0, 0, k), new(Ret | A, 0, 0, 0)]);
                Check($"ldh [{k}]", [new(Ld | H | Abs, 0, 0, k), new(Ret | A, 0, 0, 0)]);
                Check($"ldb [{k}]", [new(Ld | B | Abs, 0, 0, k), new(Ret | A, 0, 0, 0)]);
                Check($"ldxb [{k}]", [new(Ldx | Msh | B, 0, 0, k), new(Misc | Txa, 0, 0, 0), new(Ret | A, 0, 0, 0)]);
                Check($"ld [x+{k}]", [new(Ldx | Imm, 0, 0, 1), new(Ld | W | Ind, 0, 0, k), new(Ret | A, 0, 0, 0)]);
                Check($"ldh [x+{k}]", [new(Ldx | Imm, 0, 0, 0x7ffffff0), new(Ld | H | Ind, 0, 0, k - 0x7ffffff0), new(Ret | A, 0, 0, 0)]);
                Check($"ldb [x+{k}]", [new(Ldx | Imm, 0, 0, k), new(Ld | B | Ind, 0, 0, 0), new(Ret | A, 0, 0, 0)]);
            }

            void Check(string name, Instruction[] code)
            {
                using var t = Translate(code);
                uint machine = Machine(code, p, buflen, buflen), translated = t.Run(p, buflen, buflen), libpcap = Libpcap(code, p, buflen, buflen);
                if (machine != translated || machine != libpcap)
                    Assert.Fail($"{name}: machine {machine:x}, translated {translated:x}, libpcap {libpcap:x}");
            }
        }
        finally
        {
            Libc.Munmap(p, size);
        }
    }

    [Fact]
    public void JumpsAtTheLimitsAndTheLongestPrograms()
    {
        var r = new Random(4096);
        // BPF_MAXINSNS instructions: conditional jumps of up to 255 forward in a chain, which needs
        // the long form of most x86 jumps, over loads that cover the whole packet.
        for (int n = 0; n < 40; n++)
        {
            const int length = 4096;
            var code = new Instruction[length];
            for (int i = 0; i < length - 2; i++)
            {
                int room = length - 2 - i;
                code[i] = r.Next(3) switch
                {
                    0 => new(Ld | B | Abs, 0, 0, (uint)r.Next(48)),
                    1 => new(Alu | Add | K, 0, 0, (uint)r.Next(3)),
                    _ => new((ushort)(Jmp | Jgt | K), (byte)Math.Min(room, n % 2 == 0 ? 255 : r.Next(256)), (byte)Math.Min(room, r.Next(256)), (uint)r.Next(256)),
                };
            }
            code[length - 2] = new(Ret | A, 0, 0, 0);
            code[length - 1] = new(Ret | K, 0, 0, 77);
            for (int i = 0; i < 8; i++)
            {
                byte[] packet = BpfPrograms.Packet(r, 48);
                Same($"long program {n}", code, packet, 100, (uint)packet.Length);
            }
        }
        // jt and jf of 255 exactly: to the last instruction and the one before it.
        var far = new Instruction[259];
        far[0] = new(Ld | B | Abs, 0, 0, 0);
        far[1] = new(Jmp | Jeq | K, 255, 0, 0xa0);
        far[2] = new(Jmp | Jeq | K, 0, 255, 0xa0);
        for (int i = 3; i < 259; i++) far[i] = new(Ret | K, 0, 0, (uint)i);
        Same("jt 255", far, Bytes(4), 4, 4);
        var other = Bytes(4);
        other[0] = 1;
        Same("jf 255", far, other, 4, 4);
    }

    [Fact]
    public void ValidProgramsLibpcapCannotRunGiveTheMachinesVerdict()
    {
        // libpcap aborts, spins or runs for ever on these: the machine's verdict is the contract.
        Instruction[][] programs =
        [
            [new(Ld | H | Ind | 0x18, 0, 0, 0), new(Ret | K, 0, 0, 1)],
            [new(Ret | K | 0x08, 0, 0, 1)],
            [new(Alu | Neg | X, 0, 0, 0), new(Ret | K, 0, 0, 1)],
            [new(Jmp | Ja, 0, 0, uint.MaxValue), new(Ret | K, 0, 0, 1)],
            [new(Alu | Add | K, 0, 0, 1), new(Jmp | Ja, 0, 0, unchecked((uint)-2)), new(Ret | K, 0, 0, 1)],
            [
                // A counted loop through a backward "ja": 100 rounds, under the machine's bound.
                new(Ldx | Imm, 0, 0, 0), new(Misc | Txa, 0, 0, 0), new(Alu | Add | K, 0, 0, 1), new(Misc | Tax, 0, 0, 0),
                new(Jmp | Jeq | K, 1, 0, 100), new(Jmp | Ja, 0, 0, unchecked((uint)-5)), new(Misc | Txa, 0, 0, 0), new(Ret | A, 0, 0, 0),
            ],
            [
                // The same loop just past the bound of backward jumps, and just at it.
                new(Ldx | Imm, 0, 0, 0), new(Misc | Txa, 0, 0, 0), new(Alu | Add | K, 0, 0, 1), new(Misc | Tax, 0, 0, 0),
                new(Jmp | Jeq | K, 1, 0, Bpf.Machine.MaxBackwardJumps + 2), new(Jmp | Ja, 0, 0, unchecked((uint)-5)), new(Ret | K, 0, 0, 5), new(Ret | K, 0, 0, 6),
            ],
            [
                new(Ldx | Imm, 0, 0, 0), new(Misc | Txa, 0, 0, 0), new(Alu | Add | K, 0, 0, 1), new(Misc | Tax, 0, 0, 0),
                new(Jmp | Jeq | K, 1, 0, Bpf.Machine.MaxBackwardJumps + 1), new(Jmp | Ja, 0, 0, unchecked((uint)-5)), new(Ret | K, 0, 0, 5), new(Ret | K, 0, 0, 6),
            ],
            // A scratch cell loaded before any store: zero, as in the machine (libpcap's is uninitialised).
            [new(Ld | Imm, 0, 0, 5), new(Ldx | Mem, 0, 0, 3), new(Ld | Mem, 0, 0, 15), new(Alu | Add | X, 0, 0, 0), new(Alu | Add | K, 0, 0, 1), new(Ret | A, 0, 0, 0)],
        ];
        int n = 0;
        foreach (var code in programs)
            Same($"program {n++}", code, Bytes(8), 8, 8, askLibpcap: false);
    }

    [Fact]
    public void ScratchMemoryIsZeroedOnEveryRun()
    {
        // The first run leaves M[3] written; the next run must see it zero again.
        Instruction[] code =
        [
            new(Ld | Mem, 0, 0, 3), new(Jmp | Jeq | K, 0, 3, 0), new(Ld | Imm, 0, 0, 77), new(St, 0, 0, 3), new(Ret | K, 0, 0, 1),
            new(Ret | K, 0, 0, 2),
        ];
        using var t = Translate(code);
        byte b = 0;
        for (int i = 0; i < 3; i++) Assert.Equal(1u, t.Run(&b, 1, 1));
    }

    [Fact]
    public void InstalledProgramsRunTranslated()
    {
        Instruction[] code = [new(Ld | H | Abs, 0, 0, 12), new(Jmp | Jeq | K, 0, 1, 0x0800), new(Ret | K, 0, 0, 262144), new(Ret | K, 0, 0, 0)];
        using var program = new Program(code);
        Assert.False(program.IsTranslated); // not before it first runs
        var ip = new byte[60];
        ip[12] = 0x08;
        fixed (byte* p = ip)
        {
            Assert.Equal(262144u, program.Run(p, 60, 60));
            Assert.Equal(0u, program.Run(p, 60, 13));
        }
        Assert.Equal(TranslatedProgram.Supported, program.IsTranslated);
    }

    [Fact]
    public void ProgramsTooLongStayWithTheMachine()
    {
        var code = new Instruction[X64Translator.MaxInstructions + 1];
        for (int i = 0; i < code.Length - 1; i++) code[i] = new(Alu | Add | K, 0, 0, 1);
        code[^1] = new(Ret | A, 0, 0, 0);
        Assert.Null(X64Translator.Translate(code));
        using var program = new Program(code);
        byte b = 0;
        Assert.Equal((uint)X64Translator.MaxInstructions, program.Run(&b, 1, 1));
        Assert.False(program.IsTranslated);
    }
}
