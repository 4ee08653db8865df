using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Bpf;

/// <summary>A BPF program installed on a handle, held in unmanaged memory so the machine runs it without pinning.</summary>
public sealed unsafe class Program : IDisposable
{
    public Program(ReadOnlySpan<Instruction> instructions)
    {
        Length = instructions.Length;
        Instructions = (Instruction*)NativeMemory.Alloc((nuint)Math.Max(1, Length), (nuint)sizeof(Instruction));
        instructions.CopyTo(new Span<Instruction>(Instructions, Length));
    }

    public Instruction* Instructions { get; private set; }
    public int Length { get; }

    /// <summary>Runs the program over a packet: 0 rejects, otherwise the number of bytes to keep.</summary>
    public uint Run(byte* packet, uint wireLength, uint capturedLength) =>
        Machine.Filter(Instructions, packet, wireLength, capturedLength);

    public void Dispose()
    {
        NativeMemory.Free(Instructions);
        Instructions = null;
    }
}
