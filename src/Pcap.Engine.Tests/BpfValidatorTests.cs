using System;
using Pcap.Engine.Bpf;
using Xunit;
using static Pcap.Engine.Bpf.Opcodes;

namespace Pcap.Engine.Tests;

/// <summary>bpf_validate's verdicts against the system libpcap's.</summary>
public unsafe class BpfValidatorTests
{
    static bool Ours(Instruction[] code, int length) { fixed (Instruction* c = code) return Validator.IsValid(c, length); }
    static bool System(Instruction[] code, int length) { fixed (Instruction* c = code) return BpfReference.Validate(c, length) != 0; }

    [Fact]
    public void EveryOpcodeWithEdgeOperandsGetsLibpcapsVerdict()
    {
        uint[] ks = [0, 1, 2, 15, 16, 31, 32, 0xfffffffe, 0xffffffff];
        var code = new Instruction[3];
        int checkedCount = 0;
        for (int c = 0; c < 65536; c++)
            foreach (uint k in ks)
                foreach (byte j in new byte[] { 0, 1, 2 })
                {
                    code[0] = new Instruction((ushort)c, j, (byte)(2 - j), k);
                    code[1] = new Instruction((ushort)(c ^ 0x40), 0, 0, k);
                    code[2] = new Instruction(Ret | K, 0, 0, 0);
                    Assert.True(System(code, 3) == Ours(code, 3), $"code 0x{c:x} k {k} jt {j}: libpcap {System(code, 3)}");
                    checkedCount++;
                }
        Assert.Equal(65536 * 9 * 3, checkedCount);
    }

    [Fact]
    public void RandomProgramsGetLibpcapsVerdict()
    {
        var r = new Random(31337);
        int valid = 0;
        for (int n = 0; n < 200000; n++)
        {
            var code = BpfPrograms.Arbitrary(r);
            int length = r.Next(8) == 0 ? r.Next(-1, code.Length + 1) : code.Length;
            if (length > code.Length) length = code.Length;
            bool expected = System(code, length);
            Assert.True(expected == Ours(code, length), $"program {n}: libpcap {expected}\n{Image.Dump(code.AsSpan(0, Math.Max(0, length)), 1)}");
            if (expected) valid++;
        }
        // Both kinds occur in numbers, or the comparison above proves little.
        Assert.InRange(valid, 10000, 190000);
    }

    public static TheoryData<string, Instruction[], bool> Named => new()
    {
        { "ret only", [new(Ret | K, 0, 0, 0)], true },
        { "last not ret", [new(Ret | K, 0, 0, 0), new(Ld | Imm, 0, 0, 0)], false },
        { "jt past the end", [new(Jmp | Jeq | K, 1, 0, 0), new(Ret | K, 0, 0, 0)], false },
        { "jf past the end", [new(Jmp | Jeq | K, 0, 1, 0), new(Ret | K, 0, 0, 0)], false },
        { "ja past the end", [new(Jmp | Ja, 0, 0, 1), new(Ret | K, 0, 0, 0)], false },
        { "ja backward inside", [new(Ret | K, 0, 0, 0), new(Jmp | Ja, 0, 0, unchecked((uint)-2)), new(Ret | K, 0, 0, 0)], true },
        { "ja backward before the start", [new(Jmp | Ja, 0, 0, unchecked((uint)-2)), new(Ret | K, 0, 0, 0)], false },
        { "div by constant zero", [new(Alu | Div | K, 0, 0, 0), new(Ret | K, 0, 0, 0)], false },
        { "mod by constant zero", [new(Alu | Mod | K, 0, 0, 0), new(Ret | K, 0, 0, 0)], false },
        { "div by x", [new(Alu | Div | X, 0, 0, 0), new(Ret | K, 0, 0, 0)], true },
        { "scratch 16", [new(St, 0, 0, 16), new(Ret | K, 0, 0, 0)], false },
        { "scratch 15", [new(Stx, 0, 0, 15), new(Ret | K, 0, 0, 0)], true },
        { "ld M[16]", [new(Ld | Mem, 0, 0, 16), new(Ret | K, 0, 0, 0)], false },
        { "ldx M[16]", [new(Ldx | Mem, 0, 0, 16), new(Ret | K, 0, 0, 0)], false },
        { "alu op 0xb0", [new(Alu | 0xb0, 0, 0, 1), new(Ret | K, 0, 0, 0)], false },
        { "jmp op 0x50", [new(Jmp | 0x50, 0, 0, 0), new(Ret | K, 0, 0, 0)], false },
        { "ld mode 0xc0", [new(Ld | 0xc0, 0, 0, 0), new(Ret | K, 0, 0, 0)], false },
    };

    [Theory]
    [MemberData(nameof(Named))]
    public void NamedCasesGetLibpcapsVerdict(string name, Instruction[] code, bool valid)
    {
        Assert.True(System(code, code.Length) == valid, name + ": the expectation is not libpcap's");
        Assert.Equal(valid, Ours(code, code.Length));
    }

    [Fact]
    public void EmptyOrNegativeLengthIsInvalid()
    {
        Instruction[] code = [new(Ret | K, 0, 0, 0)];
        Assert.False(Ours(code, 0));
        Assert.False(Ours(code, -1));
        Assert.False(Validator.IsValid(null, 1));
    }
}
