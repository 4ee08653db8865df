using static Pcap.Engine.Bpf.Opcodes;

namespace Pcap.Engine.Bpf;

/// <summary>
/// bpf_validate with libpcap 1.10.3's rules: scratch indexes in range, no constant division or
/// modulo by zero, jumps inside the program (backward ones too: "protochain" uses them), a known
/// class, mode and operation for each instruction, and RET last. It checks fields, not whole
/// opcodes, so it passes some codes the machine cannot run (the machine rejects the packet there).
/// </summary>
public static unsafe class Validator
{
    public static bool IsValid(Instruction* f, int len)
    {
        if (len < 1 || f == null) return false;
        for (uint i = 0; i < (uint)len; i++)
        {
            Instruction* p = &f[i];
            int code = p->Code;
            switch (Class(code))
            {
                case Ld:
                case Ldx:
                    switch (Mode(code))
                    {
                        case Imm: case Abs: case Ind: case Msh: case Len: break;
                        case Mem: if (p->K >= MemWords) return false; break;
                        default: return false;
                    }
                    break;
                case St:
                case Stx:
                    if (p->K >= MemWords) return false;
                    break;
                case Alu:
                    switch (Op(code))
                    {
                        case Add: case Sub: case Mul: case Or: case And: case Xor: case Lsh: case Rsh: case Neg: break;
                        case Div: case Mod:
                            if (Src(code) == K && p->K == 0) return false;
                            break;
                        default: return false;
                    }
                    break;
                case Jmp:
                    // u_int arithmetic as in libpcap: a backward "ja" wraps round to a small target.
                    uint from = i + 1;
                    switch (Op(code))
                    {
                        case Ja:
                            if (from + p->K >= (uint)len) return false;
                            break;
                        case Jeq: case Jgt: case Jge: case Jset:
                            if (from + p->Jt >= (uint)len || from + p->Jf >= (uint)len) return false;
                            break;
                        default: return false;
                    }
                    break;
            }
        }
        return Class(f[len - 1].Code) == Ret;
    }
}
