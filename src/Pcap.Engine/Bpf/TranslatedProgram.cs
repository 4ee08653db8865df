using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Bpf;

/// <summary>
/// A program translated by <see cref="X64Translator"/> into pages of its own: written while they
/// are read+write, then made read+exec (never writable and executable at once), unmapped by
/// <see cref="Dispose"/>. libpcap has no such thing (its bpf_filter always interprets).
/// </summary>
public sealed unsafe class TranslatedProgram : IDisposable
{
    // The translated code calls nothing and never blocks, so the call needs no GC transition.
    delegate* unmanaged[SuppressGCTransition]<byte*, uint, uint, uint> code;
    nuint size;

    TranslatedProgram(void* pages, nuint size)
    {
        code = (delegate* unmanaged[SuppressGCTransition]<byte*, uint, uint, uint>)pages;
        this.size = size;
    }

    /// <summary>Only x86-64 processes translate; elsewhere the machine interprets.</summary>
    public static bool Supported => RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>
    /// The translated form of a program that passed <see cref="Validator"/>, or null where the
    /// machine must run it instead: another architecture, a program too long, or a system that
    /// refuses executable pages.
    /// </summary>
    public static TranslatedProgram? Create(ReadOnlySpan<Instruction> program, bool checkProgram = false)
    {
        if (!Supported) return null;
        byte[]? machineCode = X64Translator.Translate(program, checkProgram);
        if (machineCode == null) return null;
        nuint size = ((nuint)machineCode.Length + 4095) & ~(nuint)4095;
        void* pages = Libc.Mmap(null, size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        if (pages == Libc.MapFailed) return null;
        machineCode.CopyTo(new Span<byte>(pages, machineCode.Length));
        if (Libc.Mprotect(pages, size, Libc.PROT_READ | Libc.PROT_EXEC) != 0)
        {
            Libc.Munmap(pages, size);
            return null;
        }
        return new TranslatedProgram(pages, size);
    }

    /// <summary>Runs (unchecked) code over a packet: 0 rejects, otherwise the number of bytes to keep.</summary>
    public uint Run(byte* packet, uint wireLength, uint capturedLength) => code(packet, wireLength, capturedLength);

    /// <summary>The code's address, for C callers of checked code (<see cref="FilterCache"/>); valid until <see cref="Dispose"/>.</summary>
    public nint Code => (nint)code;

    /// <summary>Runs checked code: the verdict, or 1 &lt;&lt; 32 when an instruction it ran differed from the one translated.</summary>
    public ulong RunChecked(byte* packet, uint wireLength, uint capturedLength, Instruction* program) =>
        ((delegate* unmanaged[SuppressGCTransition]<byte*, uint, uint, Instruction*, ulong>)code)(packet, wireLength, capturedLength, program);

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    ~TranslatedProgram() => Free();

    void Free()
    {
        if (code == null) return;
        Libc.Munmap(code, size);
        code = null;
    }
}
