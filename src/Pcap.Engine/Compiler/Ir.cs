using System.Collections.Generic;

namespace Pcap.Engine.Compiler;

/// <summary>BPF opcode parts (bpf.h).</summary>
internal static class Op
{
    public const int LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, RET = 0x06, MISC = 0x07;
    public const int W = 0x00, H = 0x08, B = 0x10;
    public const int IMM = 0x00, ABS = 0x20, IND = 0x40, MEM = 0x60, LEN = 0x80, MSH = 0xa0;
    public const int ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50, LSH = 0x60, RSH = 0x70, NEG = 0x80, MOD = 0x90, XOR = 0xa0;
    public const int JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40;
    public const int K = 0x00, X = 0x08, A = 0x10;
    public const int TAX = 0x00, TXA = 0x80;

    public static int Class(int code) => code & 7;
    public static int Size(int code) => code & 0x18;
    public static int Mode(int code) => code & 0xe0;
    public static int AluOp(int code) => code & 0xf0;
    public static int Src(int code) => code & 0x08;
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
    public int Id = -1;           // layout position, assigned by the assembler and optimiser
    public bool DecidedByZeroRule; // the optimiser found A constant through "op #0" or "0 op X" (see Optimizer.FoldConstant)

    public Block(int jumpCode, uint k = 0)
    {
        JumpCode = jumpCode;
        K = k;
        Head = this;
        ChunkModel.Charge(ChunkModel.BlockSize);
    }

    public bool IsReturn => Op.Class(JumpCode) == Op.RET;

    private static int s_serial;
    private readonly int _serial = System.Threading.Interlocked.Increment(ref s_serial);

    /// <summary>Blocks key many dictionaries and sets; a serial number hashes far cheaper than the object header.</summary>
    public override int GetHashCode() => _serial;
}
