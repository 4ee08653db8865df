using System;
using System.Collections.Generic;
using static Pcap.Engine.Bpf.Opcodes;

namespace Pcap.Engine.Bpf;

/// <summary>
/// Translates a valid classic BPF program into x86-64 machine code with the semantics of
/// <see cref="Machine"/> (libpcap's bpf_filter, and where libpcap has none, the machine's), as the
/// Linux kernel's classic BPF JIT does. The code is a System V function
/// <c>uint32_t f(const uint8_t *packet, uint32_t wirelen, uint32_t buflen)</c> that calls nothing
/// and keeps M[] in the red zone below the stack pointer. Only baseline x86-64 instructions
/// (no BMI, no AVX, no MOVBE): it runs on any x86-64 CPU.
/// Registers: eax A, r9d X, rdi the packet, esi wirelen, r8 buflen (zero-extended), r10 the
/// address of an indexed load, edx and ecx scratch, r11d the backward jumps left.
/// Checked code (for bpf_filter and pcap_offline_filter, whose caller may change or free its program
/// at any time) takes the caller's program as a fourth argument, kept in r11, and compares each
/// instruction with the one translated before running it: it reads just what bpf_filter would read,
/// and on a difference returns 1 &lt;&lt; 32 (the caller then interprets); otherwise the verdict, with
/// the upper half of the 64-bit result 0.
/// </summary>
public static class X64Translator
{
    /// <summary>Longer programs run on the machine (the kernel takes at most 65535 instructions too).</summary>
    public const int MaxInstructions = ushort.MaxValue;

    /// <summary>
    /// The machine code for <paramref name="program"/>, which must have passed <see cref="Validator"/>;
    /// null for a program longer than <see cref="MaxInstructions"/>.
    /// </summary>
    public static byte[]? Translate(ReadOnlySpan<Instruction> program, bool checkProgram = false)
    {
        if (program.Length == 0 || program.Length > MaxInstructions) return null;
        var asm = new Assembler(program.Length + 2);
        int reject = program.Length, mismatch = program.Length + 1; // the labels of the shared exits
        if (!Prologue(asm, program, checkProgram)) return null;
        for (int i = 0; i < program.Length; i++)
        {
            asm.Label(i);
            if (checkProgram)
            {
                asm.Bytes(0x48, 0xba); // mov rdx, imm64: the instruction as translated
                asm.Imm32((uint)program[i].Code | (uint)program[i].Jt << 16 | (uint)program[i].Jf << 24);
                asm.Imm32(program[i].K);
                asm.Bytes(0x49, 0x39, 0x93); // cmp [r11+d32], rdx
                asm.Imm32(i * 8);
                asm.Jump(NotEqual, mismatch);
            }
            Emit(asm, program[i], i, reject);
        }
        asm.Label(reject);
        asm.Bytes(0x31, 0xc0, 0xc3); // xor eax, eax; ret
        asm.Label(mismatch);
        asm.Bytes(0x48, 0xb8); // mov rax, 1 << 32; ret
        asm.Imm32(0);
        asm.Imm32(1);
        asm.Bytes(0xc3);
        return asm.Link();
    }

    /// <summary>False when checked code is asked for a program with backward jumps (r11 counts them).</summary>
    static bool Prologue(Assembler asm, ReadOnlySpan<Instruction> program, bool checkProgram)
    {
        asm.Bytes(0x41, 0x89, 0xd0); // mov r8d, edx: buflen, zero-extended, out of the way of div
        asm.Bytes(0x31, 0xc0); // xor eax, eax: A = 0
        asm.Bytes(0x45, 0x31, 0xc9); // xor r9d, r9d: X = 0
        bool backward = false;
        uint loaded = 0; // the scratch cells some instruction loads
        foreach (var ins in program)
        {
            var op = Operations.Decode(ins.Code);
            if (op == Operation.Ja && (int)ins.K < 0) backward = true;
            if (op is Operation.LdMem or Operation.LdxMem) loaded |= 1u << (int)ins.K;
        }
        if (backward && checkProgram) return false;
        if (checkProgram) asm.Bytes(0x49, 0x89, 0xcb); // mov r11, rcx: the caller's program
        if (backward)
        {
            asm.Bytes(0x41, 0xbb); // mov r11d, imm32
            asm.Imm32(Machine.MaxBackwardJumps);
        }
        // M[] starts zeroed as in the machine; only the cells that are ever loaded need it.
        for (int m = 0; m < MemWords; m++)
            if ((loaded & (1u << m)) != 0)
                asm.Bytes(0x89, 0x44, 0x24, Scratch(m)); // mov [rsp+d8], eax (A is 0 here)
        return true;
    }

    /// <summary>M[m] lies at rsp - 64 + 4m, in the red zone the System V ABI gives a leaf function.</summary>
    static byte Scratch(int m) => (byte)(sbyte)(-64 + 4 * m);

    // Condition codes (the low nibble of jcc).
    const int Below = 2, AboveOrEqual = 3, Equal = 4, NotEqual = 5, BelowOrEqual = 6, Above = 7, Always = -1;

    static void Emit(Assembler asm, Instruction ins, int at, int reject)
    {
        uint k = ins.K;
        switch (Operations.Decode(ins.Code))
        {
            case Operation.RetK:
                asm.Bytes(0xb8); // mov eax, imm32
                asm.Imm32(k);
                asm.Bytes(0xc3);
                return;
            case Operation.RetA:
                asm.Bytes(0xc3);
                return;

            case Operation.LdWAbs:
                if (!CheckAbsolute(asm, k, 4, reject)) return;
                LoadAbsolute(asm, k, 0x8b); // mov eax, [..]
                asm.Bytes(0x0f, 0xc8); // bswap eax
                return;
            case Operation.LdHAbs:
                if (!CheckAbsolute(asm, k, 2, reject)) return;
                LoadAbsolute(asm, k, 0x0f, 0xb7); // movzx eax, word [..]
                asm.Bytes(0x66, 0xc1, 0xc0, 0x08); // rol ax, 8
                return;
            case Operation.LdBAbs:
                if (!CheckAbsolute(asm, k, 1, reject)) return;
                LoadAbsolute(asm, k, 0x0f, 0xb6); // movzx eax, byte [..]
                return;
            case Operation.LdWInd:
                CheckIndexed(asm, k, 4, reject);
                asm.Bytes(0x42, 0x8b, 0x04, 0x17); // mov eax, [rdi+r10]
                asm.Bytes(0x0f, 0xc8);
                return;
            case Operation.LdHInd:
                CheckIndexed(asm, k, 2, reject);
                asm.Bytes(0x42, 0x0f, 0xb7, 0x04, 0x17); // movzx eax, word [rdi+r10]
                asm.Bytes(0x66, 0xc1, 0xc0, 0x08);
                return;
            case Operation.LdBInd:
                CheckIndexed(asm, k, 1, reject);
                asm.Bytes(0x42, 0x0f, 0xb6, 0x04, 0x17); // movzx eax, byte [rdi+r10]
                return;
            case Operation.LdxMsh:
                if (!CheckAbsolute(asm, k, 1, reject)) return;
                if (k <= int.MaxValue)
                {
                    asm.Bytes(0x44, 0x0f, 0xb6, 0x8f); // movzx r9d, byte [rdi+d32]
                    asm.Imm32(k);
                }
                else
                {
                    MoveR10(asm, k);
                    asm.Bytes(0x46, 0x0f, 0xb6, 0x0c, 0x17); // movzx r9d, byte [rdi+r10]
                }
                asm.Bytes(0x41, 0x83, 0xe1, 0x0f); // and r9d, 0xf
                asm.Bytes(0x41, 0xc1, 0xe1, 0x02); // shl r9d, 2
                return;
            case Operation.LdLen:
                asm.Bytes(0x89, 0xf0); // mov eax, esi
                return;
            case Operation.LdxLen:
                asm.Bytes(0x41, 0x89, 0xf1); // mov r9d, esi
                return;
            case Operation.LdImm:
                asm.Bytes(0xb8);
                asm.Imm32(k);
                return;
            case Operation.LdxImm:
                asm.Bytes(0x41, 0xb9); // mov r9d, imm32
                asm.Imm32(k);
                return;
            case Operation.LdMem:
                asm.Bytes(0x8b, 0x44, 0x24, Scratch((int)k)); // mov eax, [rsp+d8]
                return;
            case Operation.LdxMem:
                asm.Bytes(0x44, 0x8b, 0x4c, 0x24, Scratch((int)k)); // mov r9d, [rsp+d8]
                return;
            case Operation.St:
                asm.Bytes(0x89, 0x44, 0x24, Scratch((int)k)); // mov [rsp+d8], eax
                return;
            case Operation.Stx:
                asm.Bytes(0x44, 0x89, 0x4c, 0x24, Scratch((int)k)); // mov [rsp+d8], r9d
                return;

            case Operation.Ja:
                // The validator's u_int arithmetic: the target wraps round for a backward jump.
                int target = (int)((uint)at + 1 + k);
                if ((int)k >= 0)
                {
                    if (k != 0) asm.Jump(Always, target);
                    return;
                }
                if ((int)k == -1)
                {
                    asm.Jump(Always, reject); // a jump to itself: libpcap spins, the machine rejects
                    return;
                }
                asm.Bytes(0x41, 0x83, 0xeb, 0x01); // sub r11d, 1: one backward jump fewer left
                asm.Jump(Below, reject);
                asm.Jump(Always, target);
                return;
            case Operation.JgtK: CompareK(asm, 0x3d, k); Branch(asm, ins, at, Above); return; // cmp eax, imm32
            case Operation.JgeK: CompareK(asm, 0x3d, k); Branch(asm, ins, at, AboveOrEqual); return;
            case Operation.JeqK: CompareK(asm, 0x3d, k); Branch(asm, ins, at, Equal); return;
            case Operation.JsetK: CompareK(asm, 0xa9, k); Branch(asm, ins, at, NotEqual); return; // test eax, imm32
            case Operation.JgtX: asm.Bytes(0x44, 0x39, 0xc8); Branch(asm, ins, at, Above); return; // cmp eax, r9d
            case Operation.JgeX: asm.Bytes(0x44, 0x39, 0xc8); Branch(asm, ins, at, AboveOrEqual); return;
            case Operation.JeqX: asm.Bytes(0x44, 0x39, 0xc8); Branch(asm, ins, at, Equal); return;
            case Operation.JsetX: asm.Bytes(0x44, 0x85, 0xc8); Branch(asm, ins, at, NotEqual); return; // test eax, r9d

            case Operation.AddX: asm.Bytes(0x44, 0x01, 0xc8); return; // add eax, r9d
            case Operation.SubX: asm.Bytes(0x44, 0x29, 0xc8); return;
            case Operation.MulX: asm.Bytes(0x41, 0x0f, 0xaf, 0xc1); return; // imul eax, r9d
            case Operation.DivX:
            case Operation.ModX:
                asm.Bytes(0x45, 0x85, 0xc9); // test r9d, r9d: division by zero rejects
                asm.Jump(Equal, reject);
                asm.Bytes(0x31, 0xd2, 0x41, 0xf7, 0xf1); // xor edx, edx; div r9d
                if (Operations.Decode(ins.Code) == Operation.ModX) asm.Bytes(0x89, 0xd0); // mov eax, edx
                return;
            case Operation.AndX: asm.Bytes(0x44, 0x21, 0xc8); return;
            case Operation.OrX: asm.Bytes(0x44, 0x09, 0xc8); return;
            case Operation.XorX: asm.Bytes(0x44, 0x31, 0xc8); return;
            case Operation.LshX: ShiftX(asm, 0xe0); return;
            case Operation.RshX: ShiftX(asm, 0xe8); return;
            case Operation.AddK: asm.Bytes(0x05); asm.Imm32(k); return;
            case Operation.SubK: asm.Bytes(0x2d); asm.Imm32(k); return;
            case Operation.MulK: asm.Bytes(0x69, 0xc0); asm.Imm32(k); return; // imul eax, eax, imm32
            case Operation.DivK:
            case Operation.ModK:
                if (k == 0)
                {
                    asm.Jump(Always, reject); // never in a valid program; the machine's answer all the same
                    return;
                }
                MoveR10(asm, k);
                asm.Bytes(0x31, 0xd2, 0x41, 0xf7, 0xf2); // xor edx, edx; div r10d
                if (Operations.Decode(ins.Code) == Operation.ModK) asm.Bytes(0x89, 0xd0);
                return;
            case Operation.AndK: asm.Bytes(0x25); asm.Imm32(k); return;
            case Operation.OrK: asm.Bytes(0x0d); asm.Imm32(k); return;
            case Operation.XorK: asm.Bytes(0x35); asm.Imm32(k); return;
            // A constant shift uses its low five bits, as libpcap's C does on x86-64.
            case Operation.LshK: if ((k & 31) != 0) asm.Bytes(0xc1, 0xe0, (byte)(k & 31)); return; // shl eax, imm8
            case Operation.RshK: if ((k & 31) != 0) asm.Bytes(0xc1, 0xe8, (byte)(k & 31)); return; // shr eax, imm8
            case Operation.Neg: asm.Bytes(0xf7, 0xd8); return; // neg eax
            case Operation.Tax: asm.Bytes(0x41, 0x89, 0xc1); return; // mov r9d, eax
            case Operation.Txa: asm.Bytes(0x44, 0x89, 0xc8); return; // mov eax, r9d

            default:
                asm.Jump(Always, reject); // an opcode libpcap has no case for
                return;
        }
    }

    /// <summary>
    /// Rejects when [k, k+size) is not inside the captured bytes; false when it never is (the
    /// load is then a plain jump to the rejection).
    /// </summary>
    static bool CheckAbsolute(Assembler asm, uint k, uint size, int reject)
    {
        if ((ulong)k + size > uint.MaxValue)
        {
            asm.Jump(Always, reject);
            return false;
        }
        asm.Bytes(0x41, 0x81, 0xf8); // cmp r8d, imm32
        asm.Imm32(k + size);
        asm.Jump(Below, reject); // buflen < k + size
        return true;
    }

    /// <summary>The load's operand at rdi+k: a 32-bit displacement is signed, so a larger k goes through r10.</summary>
    static void LoadAbsolute(Assembler asm, uint k, params ReadOnlySpan<byte> opcode)
    {
        if (k <= int.MaxValue)
        {
            asm.Bytes(opcode);
            asm.Bytes(0x87); // modrm: eax, [rdi+d32]
            asm.Imm32(k);
            return;
        }
        MoveR10(asm, k);
        asm.Bytes(0x42);
        asm.Bytes(opcode);
        asm.Bytes(0x04, 0x17); // eax, [rdi+r10]
    }

    /// <summary>r10 = X + k in 64 bits, and rejects unless [r10, r10+size) is inside the captured bytes.</summary>
    static void CheckIndexed(Assembler asm, uint k, byte size, int reject)
    {
        if (k <= int.MaxValue)
        {
            asm.Bytes(0x4d, 0x8d, 0x91); // lea r10, [r9+d32]
            asm.Imm32(k);
        }
        else
        {
            MoveR10(asm, k);
            asm.Bytes(0x4d, 0x01, 0xca); // add r10, r9
        }
        if (size == 1)
        {
            asm.Bytes(0x4d, 0x39, 0xc2); // cmp r10, r8
            asm.Jump(AboveOrEqual, reject);
            return;
        }
        asm.Bytes(0x49, 0x8d, 0x52, size); // lea rdx, [r10+size]
        asm.Bytes(0x4c, 0x39, 0xc2); // cmp rdx, r8
        asm.Jump(Above, reject);
    }

    static void MoveR10(Assembler asm, uint k)
    {
        asm.Bytes(0x41, 0xba); // mov r10d, imm32 (zero-extends)
        asm.Imm32(k);
    }

    /// <summary>A shift by X: 32 or more gives 0, as in the machine (x86 would use the count's low five bits).</summary>
    static void ShiftX(Assembler asm, byte modrm)
    {
        asm.Bytes(0x44, 0x89, 0xc9); // mov ecx, r9d
        asm.Bytes(0xd3, modrm); // shl/shr eax, cl
        asm.Bytes(0x31, 0xd2); // xor edx, edx
        asm.Bytes(0x41, 0x83, 0xf9, 0x20); // cmp r9d, 32
        asm.Bytes(0x0f, 0x43, 0xc2); // cmovae eax, edx
    }

    static void CompareK(Assembler asm, byte opcode, uint k)
    {
        asm.Bytes(opcode);
        asm.Imm32(k);
    }

    /// <summary>The two ways out of a conditional jump; an offset of 0 falls through to the next instruction.</summary>
    static void Branch(Assembler asm, Instruction ins, int at, int condition)
    {
        int taken = at + 1 + ins.Jt, notTaken = at + 1 + ins.Jf;
        if (ins.Jt == ins.Jf)
        {
            if (ins.Jt != 0) asm.Jump(Always, taken);
        }
        else if (ins.Jt == 0)
            asm.Jump(condition ^ 1, notTaken); // the inverse condition: the low bit of the code
        else
        {
            asm.Jump(condition, taken);
            if (ins.Jf != 0) asm.Jump(Always, notTaken);
        }
    }

    /// <summary>
    /// Machine code in order, with jumps to labels (one per BPF instruction and one for the
    /// rejection); each jump takes its short form when its target is near enough.
    /// </summary>
    sealed class Assembler(int labels)
    {
        readonly List<byte> code = new();
        readonly List<Piece> pieces = new();
        readonly int[] labelPiece = new int[labels];

        // A run of bytes (Length > 0), a jump (Target >= 0) or a label (Label >= 0), in order.
        struct Piece
        {
            public int Start, Length, Condition, Target, Label;
            public bool Near;
        }

        public void Bytes(params ReadOnlySpan<byte> bytes)
        {
            if (pieces.Count > 0 && pieces[^1] is { Length: > 0 } last && last.Start + last.Length == code.Count)
            {
                last.Length += bytes.Length;
                pieces[^1] = last;
            }
            else
                pieces.Add(new Piece { Start = code.Count, Length = bytes.Length, Target = -1, Label = -1 });
            code.AddRange(bytes);
        }

        public void Imm32(uint value) => Bytes((byte)value, (byte)(value >> 8), (byte)(value >> 16), (byte)(value >> 24));

        public void Imm32(int value) => Imm32((uint)value);

        public void Jump(int condition, int label) =>
            pieces.Add(new Piece { Condition = condition, Target = label, Label = -1, Near = true });

        public void Label(int label)
        {
            labelPiece[label] = pieces.Count;
            pieces.Add(new Piece { Target = -1, Label = label });
        }

        static int Size(in Piece p) =>
            p.Length > 0 ? p.Length : p.Target < 0 ? 0 : p.Near ? 2 : p.Condition == Always ? 5 : 6;

        /// <summary>Lays the pieces out, widening jumps that do not reach until none changes, then writes them.</summary>
        public byte[] Link()
        {
            var offsets = new int[pieces.Count + 1];
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pieces);
            for (bool changed = true; changed;)
            {
                for (int i = 0; i < span.Length; i++) offsets[i + 1] = offsets[i] + Size(span[i]);
                changed = false;
                for (int i = 0; i < span.Length; i++)
                {
                    ref var p = ref span[i];
                    if (p.Target < 0 || !p.Near) continue;
                    int displacement = offsets[labelPiece[p.Target]] - offsets[i + 1];
                    if (displacement is < sbyte.MinValue or > sbyte.MaxValue)
                    {
                        p.Near = false;
                        changed = true;
                    }
                }
            }
            var output = new byte[offsets[span.Length]];
            for (int i = 0; i < span.Length; i++)
            {
                ref var p = ref span[i];
                int at = offsets[i];
                if (p.Length > 0)
                {
                    code.CopyTo(p.Start, output, at, p.Length);
                    continue;
                }
                if (p.Target < 0) continue;
                int displacement = offsets[labelPiece[p.Target]] - offsets[i + 1];
                if (p.Near)
                {
                    output[at] = (byte)(p.Condition == Always ? 0xeb : 0x70 | p.Condition);
                    output[at + 1] = (byte)(sbyte)displacement;
                    continue;
                }
                if (p.Condition == Always)
                    output[at++] = 0xe9;
                else
                {
                    output[at++] = 0x0f;
                    output[at++] = (byte)(0x80 | p.Condition);
                }
                BitConverter.TryWriteBytes(output.AsSpan(at, 4), displacement);
            }
            return output;
        }
    }
}
