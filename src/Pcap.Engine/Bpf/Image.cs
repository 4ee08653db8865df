using System.Globalization;
using static Pcap.Engine.Bpf.Opcodes;

namespace Pcap.Engine.Bpf;

/// <summary>
/// bpf_image and bpf_dump text exactly as libpcap 1.10.3 prints it (tcpdump -d, -dd, -ddd).
/// </summary>
public static class Image
{
    /// <summary>One line of <c>tcpdump -d</c> for instruction number <paramref name="n"/> (no newline).</summary>
    public static string Of(in Instruction insn, int n)
    {
        uint k = insn.K;
        string op, operand;
        switch (insn.Code)
        {
            case Ret | K: op = "ret"; operand = "#" + Signed(k); break;
            case Ret | A: op = "ret"; operand = ""; break;
            case Ld | W | Abs: op = "ld"; operand = Absolute(k); break;
            case Ld | H | Abs: op = "ldh"; operand = Absolute(k); break;
            case Ld | B | Abs: op = "ldb"; operand = Absolute(k); break;
            case Ld | W | Len: op = "ld"; operand = "#pktlen"; break;
            case Ld | W | Ind: op = "ld"; operand = "[x + " + Signed(k) + "]"; break;
            case Ld | H | Ind: op = "ldh"; operand = "[x + " + Signed(k) + "]"; break;
            case Ld | B | Ind: op = "ldb"; operand = "[x + " + Signed(k) + "]"; break;
            case Ld | Imm: op = "ld"; operand = "#" + Hex(k); break;
            case Ldx | Imm: op = "ldx"; operand = "#" + Hex(k); break;
            case Ldx | Msh | B: op = "ldxb"; operand = "4*([" + Signed(k) + "]&0xf)"; break;
            case Ld | Mem: op = "ld"; operand = "M[" + Signed(k) + "]"; break;
            case Ldx | Mem: op = "ldx"; operand = "M[" + Signed(k) + "]"; break;
            case St: op = "st"; operand = "M[" + Signed(k) + "]"; break;
            case Stx: op = "stx"; operand = "M[" + Signed(k) + "]"; break;
            case Jmp | Ja: op = "ja"; operand = Signed((uint)n + 1 + k); break;
            case Jmp | Jgt | K: op = "jgt"; operand = "#" + Hex(k); break;
            case Jmp | Jge | K: op = "jge"; operand = "#" + Hex(k); break;
            case Jmp | Jeq | K: op = "jeq"; operand = "#" + Hex(k); break;
            case Jmp | Jset | K: op = "jset"; operand = "#" + Hex(k); break;
            case Jmp | Jgt | X: op = "jgt"; operand = "x"; break;
            case Jmp | Jge | X: op = "jge"; operand = "x"; break;
            case Jmp | Jeq | X: op = "jeq"; operand = "x"; break;
            case Jmp | Jset | X: op = "jset"; operand = "x"; break;
            case Alu | Add | X: op = "add"; operand = "x"; break;
            case Alu | Sub | X: op = "sub"; operand = "x"; break;
            case Alu | Mul | X: op = "mul"; operand = "x"; break;
            case Alu | Div | X: op = "div"; operand = "x"; break;
            case Alu | Mod | X: op = "mod"; operand = "x"; break;
            case Alu | And | X: op = "and"; operand = "x"; break;
            case Alu | Or | X: op = "or"; operand = "x"; break;
            case Alu | Xor | X: op = "xor"; operand = "x"; break;
            case Alu | Lsh | X: op = "lsh"; operand = "x"; break;
            case Alu | Rsh | X: op = "rsh"; operand = "x"; break;
            case Alu | Add | K: op = "add"; operand = "#" + Signed(k); break;
            case Alu | Sub | K: op = "sub"; operand = "#" + Signed(k); break;
            case Alu | Mul | K: op = "mul"; operand = "#" + Signed(k); break;
            case Alu | Div | K: op = "div"; operand = "#" + Signed(k); break;
            case Alu | Mod | K: op = "mod"; operand = "#" + Signed(k); break;
            case Alu | And | K: op = "and"; operand = "#" + Hex(k); break;
            case Alu | Or | K: op = "or"; operand = "#" + Hex(k); break;
            case Alu | Xor | K: op = "xor"; operand = "#" + Hex(k); break;
            case Alu | Lsh | K: op = "lsh"; operand = "#" + Signed(k); break;
            case Alu | Rsh | K: op = "rsh"; operand = "#" + Signed(k); break;
            case Alu | Neg: op = "neg"; operand = ""; break;
            case Misc | Tax: op = "tax"; operand = ""; break;
            case Misc | Txa: op = "txa"; operand = ""; break;
            default: op = "unimp"; operand = Hex(insn.Code); break;
        }
        string number = Signed((uint)n).PadLeft(3, '0');
        if (n < 0) number = "-" + Signed((uint)-n).PadLeft(2, '0'); // printf("%03d") of a negative
        if (Class(insn.Code) == Jmp && Op(insn.Code) != Ja)
            return "(" + number + ") " + op.PadRight(8) + " " + operand.PadRight(16)
                + " jt " + Signed((uint)n + 1 + insn.Jt) + "\tjf " + Signed((uint)n + 1 + insn.Jf);
        return "(" + number + ") " + op.PadRight(8) + " " + operand;
    }

    /// <summary>
    /// bpf_dump's text: option 1 the <c>-d</c> listing, 2 the C array of <c>-dd</c>, more than 2 the
    /// decimal form of <c>-ddd</c> (its first line is the instruction count).
    /// </summary>
    public static string Dump(System.ReadOnlySpan<Instruction> program, int option)
    {
        var text = new System.Text.StringBuilder();
        if (option > 2)
        {
            text.Append(Signed((uint)program.Length)).Append('\n');
            foreach (var i in program)
                text.Append(CultureInfo.InvariantCulture, $"{i.Code} {i.Jt} {i.Jf} {i.K}\n");
        }
        else if (option > 1)
        {
            foreach (var i in program)
                text.Append(CultureInfo.InvariantCulture, $"{{ 0x{i.Code:x}, {i.Jt}, {i.Jf}, 0x{i.K:x8} }},\n");
        }
        else
        {
            for (int n = 0; n < program.Length; n++)
                text.Append(Of(program[n], n)).Append('\n');
        }
        return text.ToString();
    }

    // libpcap formats k with %d (signed) in most places and 0x%x for masks and constants.
    static string Signed(uint v) => ((int)v).ToString(CultureInfo.InvariantCulture);
    static string Hex(uint v) => "0x" + v.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>"[k]", or the name of a Linux ancillary field (SKF_AD_OFF + n) as libpcap shows it.</summary>
    static string Absolute(uint k) => k switch
    {
        0xfffff000 => "[proto]",
        0xfffff004 => "[type]",
        0xfffff008 => "[ifidx]",
        0xfffff00c => "[nla]",
        0xfffff010 => "[nlan]",
        0xfffff014 => "[mark]",
        0xfffff018 => "[queue]",
        0xfffff01c => "[hatype]",
        0xfffff020 => "[rxhash]",
        0xfffff024 => "[cpu]",
        0xfffff028 => "[xor_x]",
        0xfffff02c => "[vlan_tci]",
        0xfffff030 => "[vlanp]",
        0xfffff034 => "[poff]",
        0xfffff038 => "[random]",
        0xfffff03c => "[vlan_tpid]",
        _ => "[" + Signed(k) + "]",
    };
}

