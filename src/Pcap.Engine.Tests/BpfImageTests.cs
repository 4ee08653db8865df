using System;
using System.Collections.Generic;
using Pcap.Engine.Bpf;
using Xunit;

namespace Pcap.Engine.Tests;

/// <summary>bpf_image and bpf_dump text against the system libpcap's (tcpdump -d, -dd, -ddd).</summary>
public unsafe class BpfImageTests
{
    [Fact]
    public void EveryOpcodeIsPrintedAsLibpcapPrintsIt()
    {
        uint[] ks = [0, 1, 9, 15, 255, 0x800, 0x7fffffff, 0x80000000, 0xfffffffb, 0xffffffff];
        int[] ns = [0, 7, 99, 1000, 123456, -1, -7];
        int checkedCount = 0;
        for (int c = 0; c < 65536; c++)
            for (int i = 0; i < ks.Length; i++)
            {
                var insn = new Instruction((ushort)c, (byte)(i * 29), (byte)(255 - i * 13), ks[i]);
                int n = ns[(c + i) % ns.Length];
                string expected = BpfReference.Text(BpfReference.Image(&insn, n))!;
                string actual = Image.Of(insn, n);
                if (expected != actual) Assert.Fail($"code 0x{c:x} k {ks[i]} n {n}:\nlibpcap '{expected}'\nours    '{actual}'");
                checkedCount++;
            }
        Assert.Equal(655360, checkedCount);
    }

    [Fact]
    public void LinuxAncillaryOffsetsArePrintedByName()
    {
        for (uint k = 0xfffff000; k < 0xfffff100; k++)
            foreach (ushort c in new ushort[] { 0x20, 0x28, 0x30 })
            {
                var insn = new Instruction(c, 0, 0, k);
                Assert.Equal(BpfReference.Text(BpfReference.Image(&insn, 3)), Image.Of(insn, 3));
            }
    }

    struct BpfProgram
    {
        public uint Length;
        public Instruction* Instructions;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void DumpPrintsWhatLibpcapsBpfDumpPrints(int option)
    {
        var r = new Random(option);
        var programs = new List<Instruction[]>();
        for (int n = 0; n < 40; n++) programs.Add(BpfPrograms.Arbitrary(r));
        programs.Add(BpfPrograms.RunnableProgram(r, 60));
        foreach (var code in programs)
        {
            string expected;
            fixed (Instruction* c = code)
            {
                var program = (BpfProgram*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)sizeof(BpfProgram));
                *program = new BpfProgram { Length = (uint)code.Length, Instructions = c };
                expected = BpfReference.CaptureStdout(() => BpfReference.Dump(program, option));
                System.Runtime.InteropServices.NativeMemory.Free(program);
            }
            Assert.Equal(expected, Image.Dump(code, option));
            // And through the C library's stdout, as tcpdump sees it.
            Assert.Equal(expected, BpfReference.CaptureStdout(() => Dumper.Print(code, option)));
        }
    }
}
