using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Bpf;

/// <summary>
/// bpf_filter and pcap_offline_filter for programs the C side has not translated yet
/// (native-build/shim/bpf-filter.c runs the ones it has): the machine interprets the program, and a
/// program that comes again on this thread is translated into a slot of the thread's cache
/// (bpf-filter-cache.h), where C finds it as long as the caller's instructions stay the same.
/// libpcap always interprets.
/// </summary>
public static unsafe class FilterCache
{
    /// <summary><c>struct pcap_bpf_cached</c> of native-build/shim/bpf-filter-cache.h.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Entry
    {
        public Instruction* Instructions;
        public Instruction* Copy;
        public nint Code;
        public uint Length;
        public uint WithoutLength;
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

    /// <summary>One thread's slots: the managed owners of what the C slots point at.</summary>
    sealed class ThreadCache
    {
        readonly TranslatedProgram?[] programs = new TranslatedProgram?[Slots];
        readonly Instruction*[] copies = new Instruction*[Slots];
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
            var shape = Shape.Of(program, length);
            if (shape.Length == 0) return;
            var span = new ReadOnlySpan<Instruction>(program, (int)shape.Length);
            var translated = TranslatedProgram.Create(span);
            if (translated == null) return;
            var copy = (Instruction*)NativeMemory.Alloc(shape.Length, (nuint)sizeof(Instruction));
            span.CopyTo(new Span<Instruction>(copy, (int)shape.Length));
            int slot = nextSlot;
            nextSlot = (nextSlot + 1) % Slots;
            Entry* entry = Shim.BpfCache() + slot;
            *entry = new Entry
            {
                Instructions = program, Copy = copy, Code = translated.Code, Length = shape.Length,
                WithoutLength = shape.InOrder ? 1u : 0u,
            };
            Release(slot);
            programs[slot] = translated;
            copies[slot] = copy;
        }

        void Release(int slot)
        {
            programs[slot]?.Dispose();
            NativeMemory.Free(copies[slot]);
            programs[slot] = null;
            copies[slot] = null;
        }

        // After the thread ends (its C slots are gone with it).
        ~ThreadCache()
        {
            for (int i = 0; i < Slots; i++) Release(i);
        }
    }

    /// <summary>
    /// How long a program is and whether C may compare it without knowing its length: with a length,
    /// the program must be valid; without one (bpf_filter), the instructions a run can reach must
    /// form a valid program by themselves. InOrder: every instruction is reachable and every jump
    /// goes forward, so C reads each only after those before it matched. Length 0: not translated.
    /// </summary>
    readonly record struct Shape(uint Length, bool InOrder)
    {
        public static Shape Of(Instruction* program, uint length)
        {
            if (length > X64Translator.MaxInstructions) return default;
            if (length != 0)
                return Validator.IsValid(program, (int)length) ? new Shape(length, InOrderReachable(program, length) == length) : default;
            uint reached = InOrderReachable(program, X64Translator.MaxInstructions);
            return reached != 0 && Validator.IsValid(program, (int)reached) ? new Shape(reached, true) : default;
        }

        /// <summary>
        /// Reads the instructions in order, each only once one before it was seen to lead to it (as
        /// the machine would: no successor after a RET or an opcode it rejects), until none leads
        /// further; the number read, or 0 if one is unreachable, a jump goes backward or past the limit.
        /// </summary>
        static uint InOrderReachable(Instruction* program, uint limit)
        {
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
            return last + 1;

            bool Reach(ulong target)
            {
                if (target >= limit) return false;
                reached[target / 64] |= 1ul << (int)(target % 64);
                last = Math.Max(last, (uint)target);
                return true;
            }
        }
    }
}
