using System;

namespace Pcap.Engine.Bpf;

/// <summary>
/// The opcodes libpcap 1.10.3's bpf_filter runs, numbered densely; <see cref="Operation.Invalid"/> for every
/// other code (libpcap aborts there; the machine and the translated code reject the packet).
/// </summary>
public enum Operation : byte
{
    Invalid, RetK, RetA, LdWAbs, LdHAbs, LdBAbs, LdWInd, LdHInd, LdBInd, LdxMsh, LdLen, LdxLen, LdImm, LdxImm,
    LdMem, LdxMem, St, Stx, Ja, JgtK, JgeK, JeqK, JsetK, JgtX, JgeX, JeqX, JsetX,
    AddX, SubX, MulX, DivX, ModX, AndX, OrX, XorX, LshX, RshX,
    AddK, SubK, MulK, DivK, ModK, AndK, OrK, XorK, LshK, RshK, Neg, Tax, Txa,
}

/// <summary>The one table from opcode to <see cref="Operation"/>, shared by the machine and the translator.</summary>
public static class Operations
{
    public static Operation Decode(ushort code) => code < 256 ? (Operation)DecodeTable[code] : Operation.Invalid;

    /// <summary>Opcode (below 256) to <see cref="Operation"/>; a constant table in the image, so reading it
    /// costs no static-initialisation check.</summary>
    internal static ReadOnlySpan<byte> DecodeTable =>
    [
        12, 13, 16, 17, 37, 18, 1, 48, 0, 0, 0, 0, 27, 0, 0, 0, // 0x00
        0, 0, 0, 0, 38, 21, 2, 0, 0, 0, 0, 0, 28, 25, 0, 0, // 0x10
        3, 0, 0, 0, 39, 19, 0, 0, 4, 0, 0, 0, 29, 23, 0, 0, // 0x20
        5, 0, 0, 0, 40, 20, 0, 0, 0, 0, 0, 0, 30, 24, 0, 0, // 0x30
        6, 0, 0, 0, 43, 22, 0, 0, 7, 0, 0, 0, 33, 26, 0, 0, // 0x40
        8, 0, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0, 0, // 0x50
        14, 15, 0, 0, 45, 0, 0, 0, 0, 0, 0, 0, 35, 0, 0, 0, // 0x60
        0, 0, 0, 0, 46, 0, 0, 0, 0, 0, 0, 0, 36, 0, 0, 0, // 0x70
        10, 11, 0, 0, 47, 0, 0, 49, 0, 0, 0, 0, 0, 0, 0, 0, // 0x80
        0, 0, 0, 0, 41, 0, 0, 0, 0, 0, 0, 0, 31, 0, 0, 0, // 0x90
        0, 0, 0, 0, 44, 0, 0, 0, 0, 0, 0, 0, 34, 0, 0, 0, // 0xa0
        0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // 0xb0
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // 0xc0
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // 0xd0
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // 0xe0
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // 0xf0
    ];
}
