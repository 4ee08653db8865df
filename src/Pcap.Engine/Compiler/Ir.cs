using System.Collections.Generic;
using Pcap.Engine.Bpf;

namespace Pcap.Engine.Compiler;

/// <summary>BPF opcode parts (bpf.h).</summary>
internal static class Op
{
    // The values are Bpf.Opcodes' (defined once there), under gencode.c's names.
    public const int LD = Opcodes.Ld, LDX = Opcodes.Ldx, ST = Opcodes.St, STX = Opcodes.Stx, ALU = Opcodes.Alu, JMP = Opcodes.Jmp, RET = Opcodes.Ret, MISC = Opcodes.Misc;
    public const int W = Opcodes.W, H = Opcodes.H, B = Opcodes.B;
    public const int IMM = Opcodes.Imm, ABS = Opcodes.Abs, IND = Opcodes.Ind, MEM = Opcodes.Mem, LEN = Opcodes.Len, MSH = Opcodes.Msh;
    public const int ADD = Opcodes.Add, SUB = Opcodes.Sub, MUL = Opcodes.Mul, DIV = Opcodes.Div, OR = Opcodes.Or, AND = Opcodes.And,
        LSH = Opcodes.Lsh, RSH = Opcodes.Rsh, NEG = Opcodes.Neg, MOD = Opcodes.Mod, XOR = Opcodes.Xor;
    public const int JA = Opcodes.Ja, JEQ = Opcodes.Jeq, JGT = Opcodes.Jgt, JGE = Opcodes.Jge, JSET = Opcodes.Jset;
    public const int K = Opcodes.K, X = Opcodes.X, A = Opcodes.A;
    public const int TAX = Opcodes.Tax, TXA = Opcodes.Txa;

    public static int Class(int code) => Opcodes.Class(code);
    public static int Size(int code) => Opcodes.Size(code);
    public static int Mode(int code) => Opcodes.Mode(code);
    public static int AluOp(int code) => Opcodes.Op(code);
    public static int Src(int code) => Opcodes.Src(code);
}

/// <summary>One straight-line statement of the intermediate code.</summary>
internal sealed class Stmt
{
    public int Code;
    public uint K;

    public Stmt(int code, uint k = 0)
    {
        Code = code;
        K = k;
        ChunkModel.Charge(ChunkModel.StmtSize);
    }

    public Stmt Clone() => new(Code, K);
}

/// <summary>
/// A basic block: statements then a conditional jump (gencode.c's struct block). While the parser builds
/// code, a block's unresolved exits are chained through the true edge (sense false) or the false edge
/// (sense true), ending at null; the chain of a subexpression starts at its last block.
/// </summary>
internal sealed class Block
{
    public List<Stmt> Stmts = [];
    public int JumpCode;          // BPF_JMP|op|src, or BPF_RET|... for a return block
    public uint K;
    public Block? Jt, Jf;
    public bool Sense;
    public Block Head;
    public int Id = -1;           // position in the order of the last FlowGraph walk: the optimiser's and assembler's arrays index by it
    public bool DecidedByZeroRule; // the optimiser found A constant through "op #0" or "0 op X" (see Optimizer.FoldConstant)

    public Block(int jumpCode, uint k = 0)
    {
        JumpCode = jumpCode;
        K = k;
        Head = this;
        ChunkModel.Charge(ChunkModel.BlockSize);
    }

    public bool IsReturn => Op.Class(JumpCode) == Op.RET;

    public int Mark;              // the walk that last visited this block (FlowGraph.NewMark)

    // Jump threading's test key (Optimizer.PureTestKey), kept while the statements (never changed in place
    // by the optimiser), the jump and the stable cells it was computed from are the same.
    public List<Stmt>? KeyStmts;
    public int KeyJump;
    public uint KeyStable;
    public int TestKey;

    private static int s_serial;
    private readonly int _serial = System.Threading.Interlocked.Increment(ref s_serial);

    /// <summary>Blocks key many dictionaries and sets; a serial number hashes far cheaper than the object header.</summary>
    public override int GetHashCode() => _serial;
}
