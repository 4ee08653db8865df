using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Bpf;

/// <summary>
/// A BPF program installed on a handle (pcap_setfilter's copy), held in unmanaged memory so the
/// machine runs it without pinning. A valid program is translated to machine code the first time
/// it runs (so a filter the kernel runs is never translated); the machine runs it where it cannot be.
/// </summary>
public sealed unsafe class Program : IDisposable
{
    public Program(ReadOnlySpan<Instruction> instructions)
    {
        Length = instructions.Length;
        Instructions = (Instruction*)NativeMemory.Alloc((nuint)Math.Max(1, Length), (nuint)sizeof(Instruction));
        instructions.CopyTo(new Span<Instruction>(Instructions, Length));
        if (Validator.IsValid(Instructions, Length))
        {
            decoded = (Instruction*)NativeMemory.Alloc((nuint)Length, (nuint)sizeof(Instruction));
            Machine.Decode(Instructions, decoded, Length);
        }
    }

    // The program in the machine's faster form, when it is valid (pcap_setfilter installs only valid ones).
    Instruction* decoded;
    TranslatedProgram? translated;
    bool translationTried;

    public Instruction* Instructions { get; private set; }
    public int Length { get; }

    /// <summary>Runs the program over a packet: 0 rejects, otherwise the number of bytes to keep.</summary>
    public uint Run(byte* packet, uint wireLength, uint capturedLength) =>
        translated != null
            ? translated.Run(packet, wireLength, capturedLength)
            : RunUntranslated(packet, wireLength, capturedLength);

    uint RunUntranslated(byte* packet, uint wireLength, uint capturedLength)
    {
        if (!translationTried)
        {
            translationTried = true;
            if (decoded != null) translated = TranslatedProgram.Create(new ReadOnlySpan<Instruction>(Instructions, Length));
            if (translated != null) return translated.Run(packet, wireLength, capturedLength);
        }
        return decoded != null
            ? Machine.RunDecoded(decoded, (uint)Length, packet, wireLength, capturedLength)
            : Machine.Filter(Instructions, (uint)Length, packet, wireLength, capturedLength);
    }

    /// <summary>Whether the program runs as machine code (after its first run).</summary>
    public bool IsTranslated => translated != null;

    /// <summary>bpf_validate's verdict on this program (pcap_setfilter refuses an invalid one).</summary>
    public bool IsValid => Validator.IsValid(Instructions, Length);

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    // A handle that replaces or drops its filter without disposing it must not leak the copy.
    ~Program() => Free();

    void Free()
    {
        NativeMemory.Free(Instructions);
        NativeMemory.Free(decoded);
        translated?.Dispose();
        translated = null;
        Instructions = null;
        decoded = null;
    }
}
