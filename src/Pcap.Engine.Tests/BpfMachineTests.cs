using System;
using Pcap.Engine.Bpf;
using Xunit;
using static Pcap.Engine.Bpf.Opcodes;

namespace Pcap.Engine.Tests;

/// <summary>The BPF machine against the system libpcap's bpf_filter, and where libpcap cannot be asked (it aborts or hangs).</summary>
public unsafe class BpfMachineTests
{
    static uint Ours(Instruction[] code, byte[] packet, uint wire, uint buflen)
    {
        fixed (Instruction* c = code)
        fixed (byte* p = packet)
            return Machine.Filter(c, (uint)code.Length, p, wire, buflen);
    }

    static uint System(Instruction[] code, byte[] packet, uint wire, uint buflen)
    {
        fixed (Instruction* c = code)
        fixed (byte* p = packet)
            return BpfReference.Filter(c, p, wire, buflen);
    }

    [Fact]
    public void RandomProgramsGiveLibpcapsVerdictOnRandomPackets()
    {
        var r = new Random(20261125);
        int compared = 0;
        for (int n = 0; n < 20000; n++)
        {
            var code = BpfPrograms.RunnableProgram(r, 64);
            fixed (Instruction* c = code)
                Assert.True(BpfReference.Validate(c, code.Length) != 0, "generator made an invalid program");
            // The installed form runs the decoded program: it must agree too.
            using var installed = new Program(code);
            for (int t = 0; t < 8; t++)
            {
                byte[] packet = BpfPrograms.Packet(r, 64);
                // Also truncated: the captured length shorter than the buffer, the wire length longer.
                uint buflen = (uint)(t % 2 == 0 ? packet.Length : r.Next(packet.Length + 1));
                uint wire = buflen + (uint)r.Next(100);
                uint expected = System(code, packet, wire, buflen);
                uint actual = Ours(code, packet, wire, buflen);
                uint installedVerdict;
                fixed (byte* p = packet) installedVerdict = installed.Run(p, wire, buflen);
                if (expected != actual || expected != installedVerdict)
                    Assert.Fail($"program {n} packet {t}: libpcap {expected}, ours {actual}, installed {installedVerdict}\n" + Image.Dump(code, 1));
                compared++;
            }
        }
        Assert.Equal(160000, compared);
    }

    [Fact]
    public void WithoutALengthTheExportedFormGivesTheSameVerdicts()
    {
        var r = new Random(7);
        for (int n = 0; n < 2000; n++)
        {
            var code = BpfPrograms.RunnableProgram(r, 40);
            byte[] packet = BpfPrograms.Packet(r, 40);
            fixed (Instruction* c = code)
            fixed (byte* p = packet)
                Assert.Equal(BpfReference.Filter(c, p, 1000, (uint)packet.Length), Machine.Filter(c, p, 1000, (uint)packet.Length));
        }
    }

    public static TheoryData<string, Instruction[], int> Loads => new()
    {
        // Loads exactly at and just past the captured length.
        { "ld [k] last word", [new(Ld | W | Abs, 0, 0, 6), new(Ret | A, 0, 0, 0)], 10 },
        { "ld [k] one past", [new(Ld | W | Abs, 0, 0, 7), new(Ret | A, 0, 0, 0)], 10 },
        { "ldh [k] last", [new(Ld | H | Abs, 0, 0, 8), new(Ret | A, 0, 0, 0)], 10 },
        { "ldh [k] past", [new(Ld | H | Abs, 0, 0, 9), new(Ret | A, 0, 0, 0)], 10 },
        { "ldb [k] last", [new(Ld | B | Abs, 0, 0, 9), new(Ret | A, 0, 0, 0)], 10 },
        { "ldb [k] past", [new(Ld | B | Abs, 0, 0, 10), new(Ret | A, 0, 0, 0)], 10 },
        { "ld [huge]", [new(Ld | W | Abs, 0, 0, 0xfffffffe), new(Ret | K, 0, 0, 1)], 10 },
        { "ldb vlan_tci without aux data", [new(Ld | B | Abs, 0, 0, 0xfffff02c), new(Ret | K, 0, 0, 1)], 10 },
        { "ld [x+k] wraps", [new(Ldx | Imm, 0, 0, 0xffffffff), new(Ld | W | Ind, 0, 0, 2), new(Ret | A, 0, 0, 0)], 10 },
        { "ldh [x+k] wraps", [new(Ldx | Imm, 0, 0, 2), new(Ld | H | Ind, 0, 0, 0xffffffff), new(Ret | A, 0, 0, 0)], 10 },
        { "ldb [x+k] last", [new(Ldx | Imm, 0, 0, 4), new(Ld | B | Ind, 0, 0, 5), new(Ret | A, 0, 0, 0)], 10 },
        { "ldb [x+k] past", [new(Ldx | Imm, 0, 0, 5), new(Ld | B | Ind, 0, 0, 5), new(Ret | A, 0, 0, 0)], 10 },
        { "ldxb msh past", [new(Ldx | Msh | B, 0, 0, 10), new(Ret | K, 0, 0, 3)], 10 },
        { "ldxb msh", [new(Ldx | Msh | B, 0, 0, 0), new(Misc | Txa, 0, 0, 0), new(Ret | A, 0, 0, 0)], 10 },
        { "div x by zero", [new(Ld | Imm, 0, 0, 9), new(Alu | Div | X, 0, 0, 0), new(Ret | K, 0, 0, 5)], 10 },
        { "mod x by zero", [new(Ld | Imm, 0, 0, 9), new(Alu | Mod | X, 0, 0, 0), new(Ret | K, 0, 0, 5)], 10 },
        { "lsh x 32", [new(Ld | Imm, 0, 0, 9), new(Ldx | Imm, 0, 0, 32), new(Alu | Lsh | X, 0, 0, 0), new(Ret | A, 0, 0, 0)], 10 },
        { "rsh x 31", [new(Ld | Imm, 0, 0, 0x80000000), new(Ldx | Imm, 0, 0, 31), new(Alu | Rsh | X, 0, 0, 0), new(Ret | A, 0, 0, 0)], 10 },
        { "lsh k 33 (low five bits)", [new(Ld | Imm, 0, 0, 1), new(Alu | Lsh | K, 0, 0, 33), new(Ret | A, 0, 0, 0)], 10 },
        { "neg", [new(Ld | Imm, 0, 0, 0x80000000), new(Alu | Neg, 0, 0, 0), new(Ret | A, 0, 0, 0)], 10 },
        { "pktlen", [new(Ld | W | Len, 0, 0, 0), new(Ret | A, 0, 0, 0)], 10 },
        {
            // A counted loop through a backward "ja", the way "protochain" walks headers.
            "backward ja loop",
            [
                new(Ldx | Imm, 0, 0, 0), new(Misc | Txa, 0, 0, 0), new(Alu | Add | K, 0, 0, 1), new(Misc | Tax, 0, 0, 0),
                new(Jmp | Jeq | K, 1, 0, 100), new(Jmp | Ja, 0, 0, unchecked((uint)-5)), new(Misc | Txa, 0, 0, 0), new(Ret | A, 0, 0, 0),
            ],
            10
        },
    };

    [Theory]
    [MemberData(nameof(Loads))]
    public void EdgeCasesGiveLibpcapsVerdict(string name, Instruction[] code, int length)
    {
        var packet = new byte[length];
        for (int i = 0; i < length; i++) packet[i] = (byte)(0xa0 + i);
        fixed (Instruction* c = code)
            Assert.True(BpfReference.Validate(c, code.Length) != 0, name);
        uint expected = System(code, packet, 60, (uint)length);
        Assert.Equal(expected, Ours(code, packet, 60, (uint)length));
        using var installed = new Program(code);
        fixed (byte* p = packet) Assert.Equal(expected, installed.Run(p, 60, (uint)length));
    }

    [Fact]
    public void NoProgramAcceptsEverythingAsLibpcap()
    {
        byte b = 0;
        Assert.Equal(BpfReference.Filter(null, &b, 1, 1), Machine.Filter(null, &b, 1, 1));
        Assert.Equal(uint.MaxValue, Machine.Filter(null, &b, 1, 1));
    }

    // libpcap 1.10.3 aborts, spins or reads outside the program on these; the machine rejects the packet.

    [Fact]
    public void AJumpToItselfRejectsInsteadOfSpinning()
    {
        Instruction[] code = [new(Jmp | Ja, 0, 0, uint.MaxValue), new(Ret | K, 0, 0, 1)];
        fixed (Instruction* c = code)
            Assert.True(Validator.IsValid(c, 2)); // libpcap's validator lets it through
        Assert.Equal(0u, Ours(code, new byte[4], 4, 4));
    }

    [Fact]
    public void AnEndlessBackwardLoopIsCutOff()
    {
        Instruction[] code = [new(Alu | Add | K, 0, 0, 1), new(Jmp | Ja, 0, 0, unchecked((uint)-2)), new(Ret | K, 0, 0, 1)];
        Assert.Equal(0u, Ours(code, new byte[4], 4, 4));
    }

    [Theory]
    [InlineData(Ld | H | Ind | 0x18)] // an invalid size that passes libpcap's validator
    [InlineData(Ldx | W | Abs)]
    [InlineData(Alu | Neg | X)]
    [InlineData(Misc | 0x08)]
    [InlineData(0x1006)]
    public void AnOpcodeWithoutACaseRejects(int code)
    {
        Instruction[] program = [new((ushort)code, 0, 0, 0), new(Ret | K, 0, 0, 1)];
        Assert.Equal(0u, Ours(program, new byte[4], 4, 4));
    }

    [Fact]
    public void InstalledValidProgramsWithoutACaseOrLoopingRejectToo()
    {
        byte[] packet = new byte[4];
        Instruction[][] programs =
        [
            [new(Ld | H | Ind | 0x18, 0, 0, 0), new(Ret | K, 0, 0, 1)],
            [new(Ret | K | 0x08, 0, 0, 1)],
            [new(Jmp | Ja, 0, 0, uint.MaxValue), new(Ret | K, 0, 0, 1)],
            [new(Alu | Add | K, 0, 0, 1), new(Jmp | Ja, 0, 0, unchecked((uint)-2)), new(Ret | K, 0, 0, 1)],
        ];
        foreach (var code in programs)
        {
            using var installed = new Program(code);
            Assert.True(installed.IsValid);
            fixed (byte* p = packet) Assert.Equal(0u, installed.Run(p, 4, 4));
        }
    }

    [Fact]
    public void UnvalidatedFaultsReject()
    {
        Assert.Equal(0u, Ours([new(Ld | Imm, 0, 0, 5), new(Alu | Div | K, 0, 0, 0), new(Ret | K, 0, 0, 1)], new byte[4], 4, 4));
        Assert.Equal(0u, Ours([new(Ld | Mem, 0, 0, 16), new(Ret | K, 0, 0, 1)], new byte[4], 4, 4));
        Assert.Equal(0u, Ours([new(St, 0, 0, 99), new(Ret | K, 0, 0, 1)], new byte[4], 4, 4));
        // Falling off the end, or jumping past it or before the start.
        Assert.Equal(0u, Ours([new(Ld | Imm, 0, 0, 5)], new byte[4], 4, 4));
        Assert.Equal(0u, Ours([new(Jmp | Jeq | K, 9, 9, 0), new(Ret | K, 0, 0, 1)], new byte[4], 4, 4));
        Assert.Equal(0u, Ours([new(Jmp | Ja, 0, 0, unchecked((uint)-3)), new(Ret | K, 0, 0, 1)], new byte[4], 4, 4));
    }

    [Fact]
    public void InstalledProgramRunsTheSameMachine()
    {
        Instruction[] code = [new(Ld | H | Abs, 0, 0, 12), new(Jmp | Jeq | K, 0, 1, 0x0800), new(Ret | K, 0, 0, 262144), new(Ret | K, 0, 0, 0)];
        using var program = new Program(code);
        Assert.True(program.IsValid);
        var ip = new byte[60];
        ip[12] = 0x08;
        var arp = new byte[60];
        arp[12] = 0x08; arp[13] = 0x06;
        fixed (byte* p = ip) Assert.Equal(262144u, program.Run(p, 60, 60));
        fixed (byte* p = arp) Assert.Equal(0u, program.Run(p, 60, 60));
        fixed (byte* p = ip) Assert.Equal(0u, program.Run(p, 60, 13)); // the type field cut off
    }
}
