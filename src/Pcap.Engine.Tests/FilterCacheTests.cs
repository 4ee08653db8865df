using System.Runtime.InteropServices;
using Pcap.Engine.Bpf;
using Pcap.Engine.Interop;
using Xunit;
using static Pcap.Engine.Bpf.Opcodes;

namespace Pcap.Engine.Tests;

/// <summary>
/// The thread's cache of translated programs for bpf_filter and pcap_offline_filter (FilterCache and
/// native-build/shim/bpf-filter-cache.c): what C finds there, and when. Each test runs on a thread of
/// its own, so it starts with an empty cache.
/// </summary>
public unsafe class FilterCacheTests
{
    static void OnOwnThread(System.Action test)
    {
        System.Exception? failure = null;
        var t = new System.Threading.Thread(() =>
        {
            try { test(); }
            catch (System.Exception e) { failure = e; }
        });
        t.Start();
        t.Join();
        if (failure != null) throw new Xunit.Sdk.XunitException(failure.ToString());
    }

    // A program in memory of its own, as a C caller would hold it.
    static Instruction* Native(params Instruction[] code)
    {
        var p = (Instruction*)NativeMemory.Alloc((nuint)code.Length, (nuint)sizeof(Instruction));
        new System.ReadOnlySpan<Instruction>(code).CopyTo(new System.Span<Instruction>(p, code.Length));
        return p;
    }

    static readonly Instruction[] Ip =
        [new(Ld | H | Abs, 0, 0, 12), new(Jmp | Jeq | K, 0, 1, 0x0800), new(Ret | K, 0, 0, 262144), new(Ret | K, 0, 0, 0)];

    const ulong Mismatch = 1ul << 32;

    static ulong Run(nint code, byte[] packet, Instruction* program)
    {
        fixed (byte* p = packet)
            return ((delegate* unmanaged<byte*, uint, uint, Instruction*, ulong>)code)(p, (uint)packet.Length, (uint)packet.Length, program);
    }

    [Fact]
    public void AProgramIsTranslatedOnItsSecondCallAndRunWhileUnchanged()
    {
        OnOwnThread(() =>
        {
            var program = Native(Ip);
            var ip = new byte[60];
            ip[12] = 0x08;
            fixed (byte* p = ip)
            {
                Assert.Equal(262144u, FilterCache.Filter(program, p, 60, 60));
                Assert.Equal(0, Shim.BpfLookup(program, 0)); // once: interpreted only
                Assert.Equal(262144u, FilterCache.Filter(program, p, 60, 60));
            }
            nint code = Shim.BpfLookup(program, 0);
            Assert.NotEqual(0, code);
            Assert.Equal(code, Shim.BpfLookup(program, 4)); // the same program with its length
            Assert.Equal(0, Shim.BpfLookup(program, 3)); // another length is another program
            var arp = new byte[60];
            arp[12] = 0x08;
            arp[13] = 0x06;
            Assert.Equal(262144ul, Run(code, ip, program));
            Assert.Equal(0ul, Run(code, arp, program));
            // The caller changed an instruction: the code says so when it comes to run it, not before.
            program[2].K = 99;
            Assert.Equal(Mismatch, Run(code, ip, program));
            Assert.Equal(0ul, Run(code, arp, program));
            program[2].K = 262144;
            program[1].Jf = 0;
            Assert.Equal(Mismatch, Run(code, arp, program));
            program[1].Jf = 1;
            Assert.Equal(262144ul, Run(code, ip, program));
            // Changed for good: interpreted, then translated again into the same slot.
            program[2].K = 1000;
            fixed (byte* p = ip)
            {
                Assert.Equal(1000u, FilterCache.Filter(program, p, 60, 60));
                Assert.Equal(1000u, FilterCache.Filter(program, p, 60, 60));
            }
            nint again = Shim.BpfLookup(program, 0);
            Assert.Equal(1000ul, Run(again, ip, program));
            int slots = 0;
            for (int i = 0; i < FilterCache.Slots; i++) slots += Shim.BpfCache()[i].Instructions == program ? 1 : 0;
            Assert.Equal(1, slots);
            NativeMemory.Free(program);
        });
    }

    [Fact]
    public void OtherThreadsDoNotSeeIt()
    {
        Instruction* program = null;
        OnOwnThread(() =>
        {
            byte b = 0;
            program = Native(Ip);
            FilterCache.Filter(program, 4, &b, 1, 1);
            FilterCache.Filter(program, 4, &b, 1, 1);
            Assert.NotEqual(0, Shim.BpfLookup(program, 4));
        });
        OnOwnThread(() => Assert.Equal(0, Shim.BpfLookup(program, 4)));
        NativeMemory.Free(program);
    }

    [Fact]
    public void WithoutALengthOnlyProgramsReadInOrderAreTranslated()
    {
        OnOwnThread(() =>
        {
            byte b = 0;
            // An unreachable instruction in the middle: with its length it is translated, without one not.
            var gap = Native(new(Jmp | Ja, 0, 0, 1), new(Ld | Imm, 0, 0, 0), new(Ret | K, 0, 0, 1));
            // The instructions a run can reach end before the program does: without a length that is the program.
            var shorter = Native(new(Ld | Imm, 0, 0, 3), new(Ret | A, 0, 0, 0), new(0xffff, 0, 0, 0));
            // A backward jump (protochain-style loop): checked code cannot count its rounds, so it is interpreted.
            var loop = Native(new(Ldx | Imm, 0, 0, 0), new(Misc | Txa, 0, 0, 0), new(Alu | Add | K, 0, 0, 1), new(Misc | Tax, 0, 0, 0),
                new(Jmp | Jeq | K, 1, 0, 10), new(Jmp | Ja, 0, 0, unchecked((uint)-5)), new(Misc | Txa, 0, 0, 0), new(Ret | A, 0, 0, 0));
            for (int i = 0; i < 2; i++)
            {
                Assert.Equal(1u, FilterCache.Filter(gap, &b, 1, 1));
                Assert.Equal(3u, FilterCache.Filter(shorter, &b, 1, 1));
                Assert.Equal(10u, FilterCache.Filter(loop, 8, &b, 1, 1));
                Assert.Equal(10u, FilterCache.Filter(loop, &b, 1, 1));
            }
            Assert.Equal(0, Shim.BpfLookup(gap, 0));
            Assert.NotEqual(0, Shim.BpfLookup(shorter, 0));
            Assert.Equal(0, Shim.BpfLookup(shorter, 3)); // translated as 2 instructions: not for a program of 3
            Assert.Equal(0, Shim.BpfLookup(loop, 0));
            for (int i = 0; i < 2; i++) Assert.Equal(1u, FilterCache.Filter(gap, 3, &b, 1, 1));
            Assert.NotEqual(0, Shim.BpfLookup(gap, 3));
            Assert.Equal(Shim.BpfLookup(gap, 3), Shim.BpfLookup(gap, 0)); // code of a valid program serves bpf_filter too
            NativeMemory.Free(gap);
            NativeMemory.Free(shorter);
            NativeMemory.Free(loop);
        });
    }

    [Fact]
    public void TheSlotsAreReusedInTurn()
    {
        OnOwnThread(() =>
        {
            byte b = 0;
            var programs = new nint[FilterCache.Slots + 1];
            for (int i = 0; i < programs.Length; i++)
            {
                programs[i] = (nint)Native(new Instruction(Ret | K, 0, 0, (uint)i + 1));
                Assert.Equal((uint)i + 1, FilterCache.Filter((Instruction*)programs[i], &b, 1, 1));
                Assert.Equal((uint)i + 1, FilterCache.Filter((Instruction*)programs[i], &b, 1, 1));
            }
            Assert.Equal(0, Shim.BpfLookup((Instruction*)programs[0], 0)); // the oldest made room
            for (int i = 1; i < programs.Length; i++)
                Assert.Equal((ulong)i + 1, Run(Shim.BpfLookup((Instruction*)programs[i], 0), [0], (Instruction*)programs[i]));
            foreach (var p in programs) NativeMemory.Free((void*)p);
        });
    }
}
