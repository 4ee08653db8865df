using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Pcap.Engine.Bpf;
using Pcap.Engine.Capture.Xdp;
using Pcap.Engine.Compiler;
using Pcap.Engine.Interop;
using Xunit;
using Xunit.Abstractions;
using static Pcap.Engine.Bpf.Opcodes;

namespace Pcap.Engine.Tests;

/// <summary>
/// The classic-to-eBPF translation of the xdp: module, judged by the kernel itself: each program is
/// loaded (the verifier must take it) and run with BPF_PROG_TEST_RUN on packets, and its verdict must be
/// our interpreter's (accepted: XDP_TX in the test build of the program, rejected: XDP_PASS).
/// </summary>
public sealed unsafe class XdpFilterProgramTests(ITestOutputHelper output)
{
    // BPF_PROG_TEST_RUN for XDP needs at least an Ethernet header's worth of data.
    const int MinPacket = 14;

    static bool KernelRunsBpf(out string why)
    {
        // A program of its own (r0 = XDP_PASS; exit), so that no fault of the translator reads as a skip.
        EbpfInstruction[] code = [Ebpf.Mov64Imm(0, Ebpf.XdpPass), Ebpf.ExitProgram()];
        int fd = XdpKernel.LoadProgram(code, out string log);
        why = fd >= 0 ? "" : $"the kernel does not load XDP programs here ({log}; needs root and CONFIG_BPF_SYSCALL)";
        if (fd >= 0) Libc.Close(fd);
        return fd >= 0;
    }

    // Loads the test build of the program: the fd, or a failure naming the verifier's complaint.
    static int Load(ReadOnlySpan<Instruction> program)
    {
        var code = XdpFilterProgram.Translate(program, XdpFilterProgram.Accept.TestVerdict, -1);
        Assert.NotNull(code);
        int fd = XdpKernel.LoadProgram(code, out string log);
        Assert.True(fd >= 0, $"verifier refused the translation of {Describe(program)}: {log}");
        return fd;
    }

    static string Describe(ReadOnlySpan<Instruction> program)
    {
        var parts = new List<string>();
        foreach (var i in program) parts.Add($"{{0x{i.Code:x},{i.Jt},{i.Jf},0x{i.K:x}}}");
        return string.Join(" ", parts);
    }

    static uint Interpret(ReadOnlySpan<Instruction> program, byte[] packet)
    {
        fixed (Instruction* p = program)
        fixed (byte* d = packet)
            return Machine.Filter(p, (uint)program.Length, d, (uint)packet.Length, (uint)packet.Length);
    }

    static void AssertSameVerdict(int fd, ReadOnlySpan<Instruction> program, byte[] packet)
    {
        long ret = XdpKernel.TestRun(fd, packet);
        Assert.True(ret >= 0, "BPF_PROG_TEST_RUN failed");
        bool accepted = Interpret(program, packet) != 0;
        Assert.True(accepted == (ret == Ebpf.XdpTx),
            $"program {Describe(program)} on {Convert.ToHexString(packet)}: interpreter {(accepted ? "accepts" : "rejects")}, XDP returned {ret}");
    }

    [Fact]
    public void RandomProgramsGiveTheInterpretersVerdicts()
    {
        if (!KernelRunsBpf(out string why)) { output.WriteLine("SKIP: " + why); return; }
        var r = new Random(1049);
        int programs = 0, runs = 0;
        for (int n = 0; n < 400; n++)
        {
            var program = BpfPrograms.RunnableProgram(r, 80);
            int fd = Load(program);
            try
            {
                for (int p = 0; p < 12; p++)
                {
                    var packet = BpfPrograms.Packet(r, 80);
                    if (packet.Length < MinPacket) continue;
                    AssertSameVerdict(fd, program, packet);
                    runs++;
                }
            }
            finally
            {
                Libc.Close(fd);
            }
            programs++;
        }
        output.WriteLine($"{programs} programs, {runs} runs");
    }

    // Each edge the translation handles apart: loads at and past the end at each width, X-indexed loads
    // whose offset overflows, division and modulo by zero, shifts by 32 or more, scratch memory read
    // before it is written, ret A of 0, the empty program.
    public static IEnumerable<object[]> Edges()
    {
        foreach (int size in new[] { W, H, B })
        foreach (uint k in new uint[] { 0, 10, 59, 60, 61, 62, 63, 64, 0x3fff, 0x4000, 0xffffffff, 0x80000000 })
        {
            yield return [new[] { new Instruction((ushort)(Ld | size | Abs), 0, 0, k), new Instruction(Ret | A, 0, 0, 0) }];
            yield return [new[] { new Instruction(Ld | Imm, 0, 0, 1), new Instruction((ushort)(Ld | size | Abs), 0, 0, k), new Instruction(Ret | K, 0, 0, 9) }];
            foreach (uint x in new uint[] { 0, 1, 58, 0xffffffff, 0xfffffff0 })
                yield return [new[] { new Instruction(Ldx | Imm, 0, 0, x), new Instruction((ushort)(Ld | size | Ind), 0, 0, k), new Instruction(Ret | K, 0, 0, 1) }];
        }
        foreach (uint k in new uint[] { 0, 13, 59, 60, 0xffffffff })
            yield return [new[] { new Instruction(Ldx | Msh | B, 0, 0, k), new Instruction(Misc | Txa, 0, 0, 0), new Instruction(Ret | A, 0, 0, 0) }];
        foreach (int op in new[] { Div, Mod })
        {
            // (by a constant 0 the program is not valid: bpf_validate and pcap_setfilter refuse it)
            yield return [new[] { new Instruction(Ld | Imm, 0, 0, 7), new Instruction(Ldx | Imm, 0, 0, 0), new Instruction((ushort)(Alu | op | X), 0, 0, 0), new Instruction(Ret | K, 0, 0, 1) }];
            yield return [new[] { new Instruction(Ld | Imm, 0, 0, 7), new Instruction(Ldx | Imm, 0, 0, 7), new Instruction((ushort)(Alu | op | X), 0, 0, 0), new Instruction(Ret | A, 0, 0, 0) }];
        }
        foreach (int op in new[] { Lsh, Rsh })
        foreach (uint s in new uint[] { 0, 1, 31, 32, 33, 0xffffffff })
        {
            yield return [new[] { new Instruction(Ld | Imm, 0, 0, 0x80000001), new Instruction(Ldx | Imm, 0, 0, s), new Instruction((ushort)(Alu | op | X), 0, 0, 0), new Instruction(Ret | A, 0, 0, 0) }];
            yield return [new[] { new Instruction(Ld | Imm, 0, 0, 0x80000001), new Instruction((ushort)(Alu | op | K), 0, 0, s), new Instruction(Ret | A, 0, 0, 0) }];
        }
        yield return [new[] { new Instruction(Ld | Mem, 0, 0, 5), new Instruction(Jmp | Jeq | K, 0, 1, 0), new Instruction(Ret | K, 0, 0, 1), new Instruction(Ret | K, 0, 0, 0) }];
        yield return [new[] { new Instruction(Ld | W | Len, 0, 0, 0), new Instruction(Jmp | Jgt | K, 0, 1, 40), new Instruction(Ret | K, 0, 0, 0), new Instruction(Ret | A, 0, 0, 0) }];
        yield return [new[] { new Instruction(Ld | Imm, 0, 0, 0), new Instruction(Alu | Neg, 0, 0, 0), new Instruction(Ret | A, 0, 0, 0) }];
        // Jumps over an instruction no packet reaches (the verifier refuses unreachable code).
        yield return [new[] { new Instruction(Jmp | Ja, 0, 0, 1), new Instruction(Ret | K, 0, 0, 0), new Instruction(Ret | K, 0, 0, 5) }];
        yield return [new[] { new Instruction(Ld | B | Abs, 0, 0, 0), new Instruction(Jmp | Jset | K, 255, 0, 1), new Instruction(Ret | K, 0, 0, 0) }.Concat(Enumerable.Repeat(new Instruction(Ret | K, 0, 0, 0), 254)).Append(new Instruction(Ret | K, 0, 0, 3)).ToArray()];
    }

    [Theory]
    [MemberData(nameof(Edges))]
    public void EdgesGiveTheInterpretersVerdicts(Instruction[] program)
    {
        if (!KernelRunsBpf(out string why)) { output.WriteLine("SKIP: " + why); return; }
        int fd = Load(program);
        try
        {
            var r = new Random(7);
            foreach (int length in new[] { 14, 15, 58, 59, 60, 61, 62, 63, 64, 100, 1514 })
            {
                var packet = new byte[length];
                r.NextBytes(packet);
                AssertSameVerdict(fd, program, packet);
                Array.Clear(packet);
                AssertSameVerdict(fd, program, packet);
            }
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    [Fact]
    public void InvalidProgramsAreNotTranslated() =>
        Assert.Null(XdpFilterProgram.Translate([new Instruction(Alu | Div | K, 0, 0, 0), new Instruction(Ret | A, 0, 0, 0)], XdpFilterProgram.Accept.TestVerdict, -1));

    [Fact]
    public void EmptyProgramAcceptsEverything()
    {
        if (!KernelRunsBpf(out string why)) { output.WriteLine("SKIP: " + why); return; }
        int fd = Load(default);
        try
        {
            Assert.Equal(Ebpf.XdpTx, XdpKernel.TestRun(fd, new byte[60]));
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    // Every EN10MB, RAW and LINUX_SLL expression of the filter corpus that our compiler takes, over the
    // frames of that link type (the synthetic capture and tcpdump's captures).
    [Fact]
    public void FilterCorpusGivesTheInterpretersVerdicts()
    {
        var shared = CompilerDifferential.FindShared();
        var reference = CompilerReference.TryLoad();
        if (shared == null || reference == null) { output.WriteLine("SKIP: ../shared or the system libpcap is absent"); return; }
        if (!KernelRunsBpf(out string why)) { output.WriteLine("SKIP: " + why); return; }
        var judge = new CompilerDifferential(reference, shared);
        int programs = 0;
        long runs = 0;
        foreach (var line in File.ReadLines(Path.Combine(shared, "compat", "filters", "corpus.tsv")).Skip(1))
        {
            var f = line.Split('\t');
            if (f[1] is not ("EN10MB" or "RAW" or "LINUX_SLL")) continue;
            int dlt = reference.LinkTypeValue(f[1]);
            if (!FilterCompiler.TryCompile(f[2], dlt, 262144, true, CompilerCorpusTests.NetmaskUnknown, out var program, out _)) continue;
            int fd = Load(program);
            try
            {
                foreach (var frame in judge.FramesFor(f[1], dlt).Take(400))
                {
                    if (frame.Data.Length < MinPacket || frame.Data.Length != frame.WireLength) continue;
                    AssertSameVerdict(fd, program, frame.Data);
                    runs++;
                }
            }
            finally
            {
                Libc.Close(fd);
            }
            programs++;
        }
        output.WriteLine($"{programs} corpus programs, {runs} runs");
        Assert.True(programs > 1000);
    }

    [Theory]
    [InlineData(Ret | K, 262144u, 262144, false)]
    [InlineData(Ret | K, 0u, 262144, false)]
    [InlineData(Ret | K, 96u, 262144, true)]
    [InlineData(Ret | A, 0u, 262144, true)]
    public void CaplenRunOnlyWhenAReturnCanCutThePacket(int code, uint k, int snapshot, bool expected) =>
        Assert.Equal(expected, XdpFilterProgram.NeedsCaplenRun([new Instruction((ushort)code, 0, 0, k)], snapshot));
}
