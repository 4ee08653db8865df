using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using static Pcap.Engine.Bpf.Opcodes;

namespace Pcap.Engine.Bpf;

/// <summary>
/// The classic BPF machine with the semantics of libpcap 1.10.3's bpf_filter: loads past the
/// captured length, division or modulo by a zero X, and an out-of-range scratch index reject the
/// packet (return 0); shifts by X of 32 or more give 0, shifts by a constant use its low five bits
/// (what libpcap's compiled C does on x86-64). Where libpcap aborts (an opcode it has no case
/// for, a constant division by zero in an unvalidated program) or loops for ever (a "ja" to
/// itself), the machine rejects the packet instead; backward jumps, which only "protochain"
/// emits, are bounded per packet. Installed filters and bpf_filter calls run as machine code
/// (<see cref="X64Translator"/>) where they can; this machine is the reference for that code and
/// runs what is not translated.
/// </summary>
public static unsafe class Machine
{
    /// <summary>Far more backward jumps than any "protochain" walk over a 256 KiB packet makes.</summary>
    public const int MaxBackwardJumps = 1 << 20;

    /// <summary><c>bpf_filter</c>: the program's length is not known, as in libpcap's API.</summary>
    public static uint Filter(Instruction* program, byte* packet, uint wireLength, uint capturedLength) =>
        program == null ? uint.MaxValue : Run<RawForm>(program, (Instruction*)nuint.MaxValue, packet, wireLength, capturedLength);

    /// <summary>Runs <paramref name="length"/> instructions; a jump or fall-through past the end rejects.</summary>
    public static uint Filter(Instruction* program, uint length, byte* p, uint wirelen, uint buflen)
    {
        if (program == null) return uint.MaxValue; // no program accepts everything
        // Without a length (bpf_filter) only the address space bounds the program, as in libpcap.
        Instruction* end = length >= (nuint.MaxValue - (nuint)program) / (nuint)sizeof(Instruction)
            ? (Instruction*)nuint.MaxValue
            : program + length;
        return Run<RawForm>(program, end, p, wirelen, buflen);
    }

    /// <summary>
    /// Rewrites a program that passed <see cref="Validator"/> for <see cref="RunDecoded"/>: each code
    /// becomes its dense operation number, looked up once here instead of once per packet.
    /// </summary>
    public static void Decode(Instruction* program, Instruction* decoded, int length)
    {
        for (int i = 0; i < length; i++)
        {
            decoded[i] = program[i];
            decoded[i].Code = (ushort)Operations.Decode(program[i].Code);
        }
    }

    /// <summary>
    /// Runs a program made by <see cref="Decode"/> from a valid one: its jumps stay inside it and
    /// it ends with a RET, so the machine skips the per-instruction bounds check.
    /// </summary>
    public static uint RunDecoded(Instruction* decoded, uint length, byte* p, uint wirelen, uint buflen) =>
        Run<DecodedForm>(decoded, decoded + length, p, wirelen, buflen);

    interface IProgramForm
    {
        static abstract bool Decoded { get; }
    }

    struct RawForm : IProgramForm
    {
        public static bool Decoded => false;
    }

    struct DecodedForm : IProgramForm
    {
        public static bool Decoded => true;
    }

    // One interpreter, compiled twice: the form is a struct type argument, so each copy keeps only its own checks.
    [SkipLocalsInit]
    static uint Run<TForm>(Instruction* program, Instruction* end, byte* p, uint wirelen, uint buflen)
        where TForm : struct, IProgramForm
    {
        uint a = 0, x = 0;
        Scratch mem = default;
        int backwardJumps = 0;
        Instruction* pc = program;
        ref byte decode = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(Operations.DecodeTable);
        for (;;)
        {
            if (!TForm.Decoded && pc >= end) return 0;
            uint k = pc->K;
            Instruction* ins = pc++;
            uint code = ins->Code;
            // One dense jump table instead of the compiler's search over sparse opcodes.
            Operation operation = TForm.Decoded
                ? (Operation)code
                : (Operation)(code < 256 ? Unsafe.Add(ref decode, (nint)code) : 0);
            switch (operation)
            {
                case Operation.RetK: return k;
                case Operation.RetA: return a;

                case Operation.LdWAbs:
                    if ((ulong)k + 4 > buflen) return 0;
                    a = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(p + k));
                    continue;
                case Operation.LdHAbs:
                    if ((ulong)k + 2 > buflen) return 0;
                    a = (uint)(p[k] << 8 | p[k + 1]);
                    continue;
                case Operation.LdBAbs:
                    if (k >= buflen) return 0;
                    a = p[k];
                    continue;
                case Operation.LdWInd:
                {
                    ulong off = (ulong)x + k;
                    if (off + 4 > buflen) return 0;
                    a = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(p + off));
                    continue;
                }
                case Operation.LdHInd:
                {
                    ulong off = (ulong)x + k;
                    if (off + 2 > buflen) return 0;
                    a = (uint)(p[off] << 8 | p[off + 1]);
                    continue;
                }
                case Operation.LdBInd:
                {
                    ulong off = (ulong)x + k;
                    if (off >= buflen) return 0;
                    a = p[off];
                    continue;
                }
                case Operation.LdxMsh:
                    if (k >= buflen) return 0;
                    x = (uint)(p[k] & 0xf) << 2;
                    continue;
                case Operation.LdLen: a = wirelen; continue;
                case Operation.LdxLen: x = wirelen; continue;
                case Operation.LdImm: a = k; continue;
                case Operation.LdxImm: x = k; continue;
                case Operation.LdMem:
                    if (k >= MemWords) return 0;
                    a = mem[(int)k];
                    continue;
                case Operation.LdxMem:
                    if (k >= MemWords) return 0;
                    x = mem[(int)k];
                    continue;
                case Operation.St:
                    if (k >= MemWords) return 0;
                    mem[(int)k] = a;
                    continue;
                case Operation.Stx:
                    if (k >= MemWords) return 0;
                    mem[(int)k] = x;
                    continue;

                case Operation.Ja:
                    if ((int)k < 0)
                    {
                        // libpcap sign-extends k; a jump to itself would spin for ever.
                        if ((int)k == -1 || ++backwardJumps > MaxBackwardJumps) return 0;
                        if ((ulong)(-(long)(int)k) > (ulong)(pc - program)) return 0;
                        pc += (int)k;
                    }
                    else
                    {
                        if (k >= (ulong)(end - pc)) return 0;
                        pc += k;
                    }
                    continue;
                case Operation.JgtK: pc += a > k ? ins->Jt : ins->Jf; continue;
                case Operation.JgeK: pc += a >= k ? ins->Jt : ins->Jf; continue;
                case Operation.JeqK: pc += a == k ? ins->Jt : ins->Jf; continue;
                case Operation.JsetK: pc += (a & k) != 0 ? ins->Jt : ins->Jf; continue;
                case Operation.JgtX: pc += a > x ? ins->Jt : ins->Jf; continue;
                case Operation.JgeX: pc += a >= x ? ins->Jt : ins->Jf; continue;
                case Operation.JeqX: pc += a == x ? ins->Jt : ins->Jf; continue;
                case Operation.JsetX: pc += (a & x) != 0 ? ins->Jt : ins->Jf; continue;

                case Operation.AddX: a += x; continue;
                case Operation.SubX: a -= x; continue;
                case Operation.MulX: a *= x; continue;
                case Operation.DivX:
                    if (x == 0) return 0;
                    a /= x;
                    continue;
                case Operation.ModX:
                    if (x == 0) return 0;
                    a %= x;
                    continue;
                case Operation.AndX: a &= x; continue;
                case Operation.OrX: a |= x; continue;
                case Operation.XorX: a ^= x; continue;
                case Operation.LshX: a = x < 32 ? a << (int)x : 0; continue;
                case Operation.RshX: a = x < 32 ? a >> (int)x : 0; continue;
                case Operation.AddK: a += k; continue;
                case Operation.SubK: a -= k; continue;
                case Operation.MulK: a *= k; continue;
                case Operation.DivK:
                    if (k == 0) return 0;
                    a /= k;
                    continue;
                case Operation.ModK:
                    if (k == 0) return 0;
                    a %= k;
                    continue;
                case Operation.AndK: a &= k; continue;
                case Operation.OrK: a |= k; continue;
                case Operation.XorK: a ^= k; continue;
                case Operation.LshK: a <<= (int)(k & 31); continue;
                case Operation.RshK: a >>= (int)(k & 31); continue;
                case Operation.Neg: a = 0u - a; continue;
                case Operation.Tax: x = a; continue;
                case Operation.Txa: a = x; continue;

                default: return 0;
            }
        }
    }

    /// <summary>The scratch memory M[0..15], zeroed (libpcap leaves it uninitialised).</summary>
    [InlineArray(MemWords)]
    struct Scratch
    {
        uint word;
    }
}
