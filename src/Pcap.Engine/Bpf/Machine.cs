using System.Buffers.Binary;
using static Pcap.Engine.Bpf.Opcodes;

namespace Pcap.Engine.Bpf;

/// <summary>
/// The classic BPF machine with the semantics of libpcap 1.10.3's bpf_filter: loads past the
/// captured length, division or modulo by a zero X, and an out-of-range scratch index reject the
/// packet (return 0); shifts by X of 32 or more give 0, shifts by a constant use its low five bits
/// (what libpcap's compiled C does on x86-64). Where libpcap aborts (an opcode it has no case
/// for, a constant division by zero in an unvalidated program) or loops for ever (a "ja" to
/// itself), the machine rejects the packet instead; backward jumps, which only "protochain"
/// emits, are bounded per packet.
/// </summary>
public static unsafe class Machine
{
    /// <summary>Far more backward jumps than any "protochain" walk over a 256 KiB packet makes.</summary>
    public const int MaxBackwardJumps = 1 << 20;

    /// <summary><c>bpf_filter</c>: the program's length is not known, as in libpcap's API.</summary>
    public static uint Filter(Instruction* program, byte* packet, uint wireLength, uint capturedLength) =>
        Filter(program, uint.MaxValue, packet, wireLength, capturedLength);

    /// <summary>Runs <paramref name="length"/> instructions; a jump or fall-through past the end rejects.</summary>
    public static uint Filter(Instruction* program, uint length, byte* p, uint wirelen, uint buflen)
    {
        if (program == null) return uint.MaxValue; // no program accepts everything
        uint a = 0, x = 0;
        uint* mem = stackalloc uint[MemWords];
        int backwardJumps = 0;
        ulong pc = 0;
        for (;;)
        {
            if (pc >= length) return 0;
            Instruction* ins = program + pc;
            uint k = ins->K;
            pc++;
            switch (ins->Code)
            {
                case Ret | K: return k;
                case Ret | A: return a;

                case Ld | W | Abs:
                    if ((ulong)k + 4 > buflen) return 0;
                    a = BinaryPrimitives.ReadUInt32BigEndian(new System.ReadOnlySpan<byte>(p + k, 4));
                    continue;
                case Ld | H | Abs:
                    if ((ulong)k + 2 > buflen) return 0;
                    a = (uint)(p[k] << 8 | p[k + 1]);
                    continue;
                case Ld | B | Abs:
                    if (k >= buflen) return 0;
                    a = p[k];
                    continue;
                case Ld | W | Ind:
                {
                    ulong off = (ulong)x + k;
                    if (off + 4 > buflen) return 0;
                    a = BinaryPrimitives.ReadUInt32BigEndian(new System.ReadOnlySpan<byte>(p + off, 4));
                    continue;
                }
                case Ld | H | Ind:
                {
                    ulong off = (ulong)x + k;
                    if (off + 2 > buflen) return 0;
                    a = (uint)(p[off] << 8 | p[off + 1]);
                    continue;
                }
                case Ld | B | Ind:
                {
                    ulong off = (ulong)x + k;
                    if (off >= buflen) return 0;
                    a = p[off];
                    continue;
                }
                case Ldx | Msh | B:
                    if (k >= buflen) return 0;
                    x = (uint)(p[k] & 0xf) << 2;
                    continue;
                case Ld | W | Len: a = wirelen; continue;
                case Ldx | W | Len: x = wirelen; continue;
                case Ld | Imm: a = k; continue;
                case Ldx | Imm: x = k; continue;
                case Ld | Mem:
                    if (k >= MemWords) return 0;
                    a = mem[k];
                    continue;
                case Ldx | Mem:
                    if (k >= MemWords) return 0;
                    x = mem[k];
                    continue;
                case St:
                    if (k >= MemWords) return 0;
                    mem[k] = a;
                    continue;
                case Stx:
                    if (k >= MemWords) return 0;
                    mem[k] = x;
                    continue;

                case Jmp | Ja:
                    if ((int)k < 0)
                    {
                        // libpcap sign-extends k; a jump to itself would spin for ever.
                        if ((int)k == -1 || ++backwardJumps > MaxBackwardJumps) return 0;
                        if ((ulong)(-(long)(int)k) > pc) return 0;
                    }
                    pc = (ulong)((long)pc + (int)k);
                    continue;
                case Jmp | Jgt | K: pc += a > k ? ins->Jt : ins->Jf; continue;
                case Jmp | Jge | K: pc += a >= k ? ins->Jt : ins->Jf; continue;
                case Jmp | Jeq | K: pc += a == k ? ins->Jt : ins->Jf; continue;
                case Jmp | Jset | K: pc += (a & k) != 0 ? ins->Jt : ins->Jf; continue;
                case Jmp | Jgt | X: pc += a > x ? ins->Jt : ins->Jf; continue;
                case Jmp | Jge | X: pc += a >= x ? ins->Jt : ins->Jf; continue;
                case Jmp | Jeq | X: pc += a == x ? ins->Jt : ins->Jf; continue;
                case Jmp | Jset | X: pc += (a & x) != 0 ? ins->Jt : ins->Jf; continue;

                case Alu | Add | X: a += x; continue;
                case Alu | Sub | X: a -= x; continue;
                case Alu | Mul | X: a *= x; continue;
                case Alu | Div | X:
                    if (x == 0) return 0;
                    a /= x;
                    continue;
                case Alu | Mod | X:
                    if (x == 0) return 0;
                    a %= x;
                    continue;
                case Alu | And | X: a &= x; continue;
                case Alu | Or | X: a |= x; continue;
                case Alu | Xor | X: a ^= x; continue;
                case Alu | Lsh | X: a = x < 32 ? a << (int)x : 0; continue;
                case Alu | Rsh | X: a = x < 32 ? a >> (int)x : 0; continue;
                case Alu | Add | K: a += k; continue;
                case Alu | Sub | K: a -= k; continue;
                case Alu | Mul | K: a *= k; continue;
                case Alu | Div | K:
                    if (k == 0) return 0;
                    a /= k;
                    continue;
                case Alu | Mod | K:
                    if (k == 0) return 0;
                    a %= k;
                    continue;
                case Alu | And | K: a &= k; continue;
                case Alu | Or | K: a |= k; continue;
                case Alu | Xor | K: a ^= k; continue;
                case Alu | Lsh | K: a <<= (int)(k & 31); continue;
                case Alu | Rsh | K: a >>= (int)(k & 31); continue;
                case Alu | Neg: a = 0u - a; continue;
                case Misc | Tax: x = a; continue;
                case Misc | Txa: a = x; continue;

                default: return 0;
            }
        }
    }
}
