using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Capture.Xdp;

/// <summary>An eBPF instruction, <c>struct bpf_insn</c> (linux/bpf.h): code, dst:4 src:4, off, imm.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct EbpfInstruction(byte code, int dst, int src, short off, int imm)
{
    public byte Code = code;
    public byte Registers = (byte)(dst & 0xf | (src & 0xf) << 4);
    public short Offset = off;
    public int Immediate = imm;

    public readonly int Dst => Registers & 0xf;
    public readonly int Src => Registers >> 4;
}

/// <summary>eBPF opcode fields and the few helpers and constants the XDP program uses (linux/bpf.h).</summary>
public static class Ebpf
{
    // Classes
    public const byte Ld = 0x00, Ldx = 0x01, St = 0x02, Stx = 0x03, Alu = 0x04, Jmp = 0x05, Jmp32 = 0x06, Alu64 = 0x07;
    // Sizes and modes
    public const byte W = 0x00, H = 0x08, B = 0x10, DW = 0x18, Imm = 0x00, Mem = 0x60;
    // Sources
    public const byte K = 0x00, X = 0x08;
    // ALU operations (classic BPF's values, plus these)
    public const byte Mov = 0xb0, End = 0xd0, ToBe = 0x08;
    // Jump operations (classic BPF's values, plus these)
    public const byte Jne = 0x50, Call = 0x80, Exit = 0x90, Jlt = 0xa0;

    public const int PseudoMapFd = 1;
    public const int HelperRedirectMap = 51, HelperXdpGetBuffLen = 188;
    public const int XdpAborted = 0, XdpDrop = 1, XdpPass = 2, XdpTx = 3, XdpRedirect = 4;

    // struct xdp_md
    public const short XdpMdData = 0, XdpMdDataEnd = 4, XdpMdRxQueueIndex = 16;

    public static EbpfInstruction Mov64Reg(int dst, int src) => new((byte)(Alu64 | Mov | X), dst, src, 0, 0);
    public static EbpfInstruction Mov64Imm(int dst, int imm) => new((byte)(Alu64 | Mov | K), dst, 0, 0, imm);
    public static EbpfInstruction Mov32Reg(int dst, int src) => new((byte)(Alu | Mov | X), dst, src, 0, 0);
    public static EbpfInstruction Mov32Imm(int dst, int imm) => new((byte)(Alu | Mov | K), dst, 0, 0, imm);
    public static EbpfInstruction Alu32Reg(int op, int dst, int src) => new((byte)(Alu | op | X), dst, src, 0, 0);
    public static EbpfInstruction Alu32Imm(int op, int dst, int imm) => new((byte)(Alu | op | K), dst, 0, 0, imm);
    public static EbpfInstruction Alu64Imm(int op, int dst, int imm) => new((byte)(Alu64 | op | K), dst, 0, 0, imm);
    public static EbpfInstruction Alu64Reg(int op, int dst, int src) => new((byte)(Alu64 | op | X), dst, src, 0, 0);
    public static EbpfInstruction Load(int size, int dst, int src, short off) => new((byte)(Ldx | Mem | size), dst, src, off, 0);
    public static EbpfInstruction Store(int size, int dst, short off, int src) => new((byte)(Stx | Mem | size), dst, src, off, 0);
    public static EbpfInstruction StoreImm(int size, int dst, short off, int imm) => new((byte)(St | Mem | size), dst, 0, off, imm);
    public static EbpfInstruction ToBigEndian(int dst, int bits) => new((byte)(Alu | End | ToBe), dst, 0, 0, bits);
    public static EbpfInstruction CallHelper(int helper) => new((byte)(Jmp | Call), 0, 0, 0, helper);
    public static EbpfInstruction ExitProgram() => new((byte)(Jmp | Exit), 0, 0, 0, 0);

    /// <summary>ld_imm64 of a map's fd: two instructions, the loader turns the fd into the map.</summary>
    public static void LoadMapFd(List<EbpfInstruction> code, int dst, int mapFd)
    {
        code.Add(new EbpfInstruction(Ld | DW | Imm, dst, PseudoMapFd, 0, mapFd));
        code.Add(new EbpfInstruction(0, 0, 0, 0, 0));
    }
}
