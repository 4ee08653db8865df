using System;
using Pcap.Engine.Bpf;

namespace Pcap.Native.Abi;

/// <summary><c>struct bpf_program</c> on LP64: the instruction count, then a pointer to the instructions.</summary>
struct BpfProgram
{
    public uint Length;
    public unsafe Instruction* Instructions;

    /// <summary>The instructions as a span; empty for a NULL pointer.</summary>
    public readonly unsafe ReadOnlySpan<Instruction> AsSpan() =>
        Instructions == null || (int)Length < 0 ? default : new ReadOnlySpan<Instruction>(Instructions, (int)Length);
}
