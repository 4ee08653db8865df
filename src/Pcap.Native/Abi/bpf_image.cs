using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Bpf;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>bpf_image and bpf_dump: the text of tcpdump's -d, -dd and -ddd.</summary>
static unsafe class BpfImage
{
    // libpcap 1.10.3 returns one static buffer, overwritten by the next call.
    const int ImageSize = 256;
    static readonly byte* ImageBuffer = (byte*)NativeMemory.AllocZeroed(ImageSize);

    [UnmanagedCallersOnly(EntryPoint = "bpf_image")]
    public static byte* Image(Instruction* insn, int n)
    {
        try
        {
            HandleBlock.WriteText(ImageBuffer, ImageSize, insn == null ? "" : Engine.Bpf.Image.Of(*insn, n));
        }
        catch (Exception)
        {
            ImageBuffer[0] = 0;
        }
        return ImageBuffer;
    }

    [UnmanagedCallersOnly(EntryPoint = "bpf_dump")]
    public static void Dump(BpfProgram* program, int option)
    {
        try
        {
            if (program != null) Dumper.Print(program->AsSpan(), option);
        }
        catch (Exception)
        {
            // Nothing to report to: bpf_dump returns void.
        }
    }
}
