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
        // The empty expression is "ret #snaplen" on every link type libpcap accepts, whatever its layout.
        if (string.IsNullOrWhiteSpace(expression) && Dlt.LibpcapCompilesFor(linkType))
            return [new Instruction(0x06, 0, 0, (uint)snapLength)];
        var gen = new CodeGenerator(linkType, snapLength, netmask);
        var tokens = Lexer.Tokenize(expression);
        var body = new Parser(tokens, gen).ParseProgram();
        Block root = body == null ? gen.AcceptAll() : gen.Finish(body);
        if (optimize && body != null)
        {
            root = Optimizer.Optimize(root, out bool rejectsAll);
            // libpcap turns its optimiser (and with it this refusal) off after geneve or protochain.
            if (rejectsAll && !gen.NoOptimize) throw new PcapException("expression rejects all packets");
        }
        return Assembler.Assemble(root);
    }
}
