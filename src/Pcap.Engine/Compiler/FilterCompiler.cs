using Pcap.Engine.Bpf;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Compiler;

/// <summary>pcap_compile's engine: pcap-filter(7) expression to a classic BPF program (libpcap's gencode.c + optimize.c).</summary>
public static class FilterCompiler
{
    /// <summary>
    /// Compiles <paramref name="expression"/> for a link type. Throws <see cref="PcapException"/> with
    /// libpcap's error text when libpcap refuses the expression.
    /// </summary>
    public static Instruction[] Compile(string expression, int linkType, int snapLength, bool optimize, uint netmask)
    {
        if (string.IsNullOrWhiteSpace(expression))
            return [new Instruction(0x06, 0, 0, (uint)snapLength)]; // BPF_RET|BPF_K: accept, whole snap length
        throw new PcapException("filter expressions other than the empty one are not built yet");
    }
}
