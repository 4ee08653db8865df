using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Bpf;

/// <summary>
/// bpf_filter and pcap_offline_filter for programs the C side (native-build/shim/bpf-filter.c) did
/// not run: the machine interprets the program, and a program that comes again on this thread is
/// translated (checked code, see <see cref="X64Translator"/>) into a slot of the thread's cache
/// (bpf-filter-cache.h), where C finds it by its address. libpcap always interprets.
/// </summary>
public static unsafe class FilterCache
{
    /// <summary><c>struct pcap_bpf_cached</c> of native-build/shim/bpf-filter-cache.h.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Entry
    {
        public Instruction* Instructions;
        public nint Code;
        public uint Length;
        public uint Padding;
    }

    /// <summary>PCAP_BPF_CACHE_SLOTS.</summary>
    public const int Slots = 4;

    /// <summary>Programs missed lately, remembered so that a program is translated on its second call.</summary>
    const int Remembered = 8;

    /// <summary><c>bpf_filter</c> on a program the C side did not find.</summary>
    public static uint Filter(Instruction* program, byte* packet, uint wireLength, uint capturedLength)
    {
        uint verdict = Machine.Filter(program, packet, wireLength, capturedLength);
        if (program != null && TranslatedProgram.Supported) Current.Consider(program, 0);
        return verdict;
    }

    /// <summary><c>pcap_offline_filter</c>'s run of a program the C side did not find.</summary>
    public static uint Filter(Instruction* program, uint length, byte* packet, uint wireLength, uint capturedLength)
    {
        uint verdict = Machine.Filter(program, length, packet, wireLength, capturedLength);
        if (program != null && length != 0 && TranslatedProgram.Supported) Current.Consider(program, length);
        return verdict;
    }

    [ThreadStatic] static ThreadCache? thread;

    static ThreadCache Current => thread ??= new ThreadCache();

    /// <summary>One thread's slots: the managed owners of the code the C slots point at.</summary>
    sealed class ThreadCache
    {
        readonly TranslatedProgram?[] programs = new TranslatedProgram?[Slots];
        readonly (nint Program, uint Length)[] seen = new (nint, uint)[Remembered];
        int nextSlot, nextSeen;

        /// <summary>Translates a program seen before on this thread; remembers one seen for the first time.</summary>
        public void Consider(Instruction* program, uint length)
        {
            int at = Array.IndexOf(seen, ((nint)program, length));
            if (at < 0)
            {
                seen[nextSeen] = ((nint)program, length);
                nextSeen = (nextSeen + 1) % Remembered;
                return;
            }
            seen[at] = default; // tried once: a program that cannot be translated is not walked again at once
            if (length > X64Translator.MaxInstructions) return;
            uint translatedLength = length == 0 ? ReachableLength(program) : Validator.IsValid(program, (int)length) ? length : 0;
            if (translatedLength == 0) return;
            var translated = TranslatedProgram.Create(new ReadOnlySpan<Instruction>(program, (int)translatedLength), checkProgram: true);
            if (translated == null) return;
            // The program's old code (it changed since) goes; otherwise the oldest slot.
            Entry* entries = Shim.BpfCache();
            int slot = -1;
            for (int i = 0; i < Slots; i++)
                if (entries[i].Instructions == program) slot = i;
            if (slot < 0)
            {
                slot = nextSlot;
                nextSlot = (nextSlot + 1) % Slots;
            }
            entries[slot] = new Entry { Instructions = program, Code = translated.Code, Length = translatedLength };
            programs[slot]?.Dispose();
            programs[slot] = translated;
        }

        // After the thread ends (its C slots are gone with it).
        ~ThreadCache()
        {
            foreach (var p in programs) p?.Dispose();
        }
    }

    /// <summary>
    /// bpf_filter's program as a length: the instructions read in order, each only once one before
    /// it was seen to lead to it (as the machine would: nothing after a RET or an opcode it rejects),
    /// until none leads further, when they form a valid program; 0 (interpret it) if one is
    /// unreachable, a jump goes backward or past the translator's limit, or the program is not valid.
    /// Reading no instruction no path reaches, it reads nothing bpf_filter could not.
    /// </summary>
    static uint ReachableLength(Instruction* program)
    {
        const uint limit = X64Translator.MaxInstructions;
        var reached = new ulong[(limit + 64) / 64];
        reached[0] = 1;
        uint last = 0; // the furthest instruction reached so far
        for (uint i = 0; i <= last; i++)
        {
            if ((reached[i / 64] & (1ul << (int)(i % 64))) == 0) return 0;
            var ins = program[i];
            ulong next = i + 1ul;
            switch (Operations.Decode(ins.Code))
            {
                case Operation.RetK or Operation.RetA or Operation.Invalid:
                    continue;
                case Operation.Ja:
                    if ((int)ins.K < 0 || !Reach(next + ins.K)) return 0;
                    continue;
                case Operation.JgtK or Operation.JgeK or Operation.JeqK or Operation.JsetK
                    or Operation.JgtX or Operation.JgeX or Operation.JeqX or Operation.JsetX:
                    if (!Reach(next + ins.Jt) || !Reach(next + ins.Jf)) return 0;
                    continue;
                default:
                    if (!Reach(next)) return 0;
                    continue;
            }
        }
        return Validator.IsValid(program, (int)last + 1) ? last + 1 : 0;

        bool Reach(ulong target)
        {
            if (target >= limit) return false;
            reached[target / 64] |= 1ul << (int)(target % 64);
            last = Math.Max(last, (uint)target);
            return true;
        }
    }
}
