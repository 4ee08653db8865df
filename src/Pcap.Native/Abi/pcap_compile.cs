using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Bpf;
using Pcap.Engine.Compiler;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_compile(3PCAP), pcap_compile_nopcap and pcap_freecode(3PCAP).</summary>
static unsafe class Compile
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_compile")]
    public static int PcapCompile(IntPtr p, BpfProgram* program, byte* expression, int optimize, uint netmask)
    {
        try
        {
            return CompileOn(Handle.FromPcap(p), program, expression, optimize, netmask);
        }
        catch (Exception e)
        {
            return Boundary.Fail(p, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_compile_nopcap")]
    public static int PcapCompileNopcap(int snapLength, int linkType, BpfProgram* program, byte* expression, int optimize, uint netmask)
    {
        // As libpcap: a dead handle for the compile; its error text is lost with it.
        try
        {
            using var handle = new DeadHandle(linkType, snapLength, TimestampPrecision.Micro);
            return CompileOn(handle, program, expression, optimize, netmask);
        }
        catch (Exception)
        {
            return PcapError.Error;
        }
    }

    static int CompileOn(Handle handle, BpfProgram* program, byte* expression, int optimize, uint netmask)
    {
        if (!handle.Activated)
        {
            handle.Error = "not-yet-activated pcap_t passed to pcap_compile";
            return PcapError.Error;
        }
        if (handle.Snapshot == 0)
        {
            // gencode.c refuses this before it parses anything.
            handle.Error = "snaplen of 0 rejects all packets";
            return PcapError.Error;
        }
        // libpcap's scanner works on bytes: one char per byte (Latin-1) keeps every byte of the expression,
        // odd ones included, for the lexer, the lengths libpcap counts and the names its errors quote.
        string text = expression == null ? "" : System.Text.Encoding.Latin1.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(expression));
        if (!FilterCompiler.TryCompile(text, handle.LinkType, handle.Snapshot, optimize != 0, netmask, out var code, out string error))
        {
            SetLatin1Error(handle, error);
            return PcapError.Error;
        }
        if (program == null)
        {
            handle.Error = "pcap_compile: NULL bpf_program";
            return PcapError.Error;
        }
        // The caller frees this with pcap_freecode (or free): it must come from malloc.
        var insns = (Instruction*)NativeMemory.Alloc((nuint)Math.Max(1, code.Length), (nuint)sizeof(Instruction));
        code.AsSpan().CopyTo(new Span<Instruction>(insns, code.Length));
        program->Length = (uint)code.Length;
        program->Instructions = insns;
        return 0;
    }

    /// <summary>The error text back to the bytes it quotes (see CompileOn), cut as libpcap's snprintf cuts it.</summary>
    static void SetLatin1Error(Handle handle, string message)
    {
        byte* errbuf = handle.Block->Errbuf;
        int n = Math.Min(message.Length, HandleBlock.ErrbufSize - 1);
        for (int i = 0; i < n; i++) errbuf[i] = message[i] <= 0xff ? (byte)message[i] : (byte)'?';
        errbuf[n] = 0;
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_freecode")]
    public static void PcapFreecode(BpfProgram* program)
    {
        if (program == null) return;
        program->Length = 0;
        if (program->Instructions != null)
        {
            NativeMemory.Free(program->Instructions);
            program->Instructions = null;
        }
    }
}
