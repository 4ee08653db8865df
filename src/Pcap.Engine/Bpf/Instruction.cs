using System.Runtime.InteropServices;

namespace Pcap.Engine.Bpf;

/// <summary>A classic BPF instruction, <c>struct bpf_insn</c> (8 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct Instruction(ushort code, byte jt, byte jf, uint k)
{
    public ushort Code = code;
    public byte Jt = jt;
    public byte Jf = jf;
    public uint K = k;
}
