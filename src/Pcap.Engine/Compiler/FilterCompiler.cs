using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using Pcap.Engine.Bpf;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Compiler;

/// <summary>pcap_compile's engine: pcap-filter(7) expression to a classic BPF program (libpcap's gencode.c + optimize.c).</summary>
public static class FilterCompiler
{
    /// <summary>
    /// Expressions longer than this are compiled on a thread of our own with a large stack: the parser and
    /// the block graph's walks recurse as deep as the expression nests (libpcap's bison stops at 10,000
    /// symbols), deeper than a caller's thread may allow.
    /// </summary>
    private const int LongExpression = 2000;
    private const int LongExpressionStack = 256 << 20;

    /// <summary>
    /// Compiles <paramref name="expression"/> for a link type. Throws <see cref="PcapException"/> with
    /// libpcap's error text when libpcap refuses the expression.
    /// </summary>
    public static Instruction[] Compile(string expression, int linkType, int snapLength, bool optimize, uint netmask)
    {
        if (expression.Length <= LongExpression) return CompileHere(expression, linkType, snapLength, optimize, netmask);
        Instruction[]? result = null;
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            try { result = CompileHere(expression, linkType, snapLength, optimize, netmask); }
            catch (Exception e) { error = ExceptionDispatchInfo.Capture(e); }
        }, LongExpressionStack);
        thread.Start();
        thread.Join();
        error?.Throw();
        return result!;
    }

    private static Instruction[] CompileHere(string expression, int linkType, int snapLength, bool optimize, uint netmask)
    {
        // The empty expression is "ret #snaplen" on every link type libpcap accepts, whatever its layout.
        if (Lexer.IsBlank(expression) && Dlt.LibpcapCompilesFor(linkType))
            return [new Instruction(0x06, 0, 0, (uint)snapLength)];
        Block root;
        Block? body;
        CodeGenerator gen;
        ChunkModel.Current = new ChunkModel();
        try
        {
            gen = new CodeGenerator(linkType, snapLength, netmask);
            var tokens = Lexer.Tokenize(expression);
            body = new Parser(tokens, gen).ParseProgram();
            root = body == null ? gen.AcceptAll() : gen.Finish(body);
        }
        finally { ChunkModel.Current = null; }
        // libpcap turns its optimiser (and with it this refusal) off for code it cannot take (geneve,
        // protochain, 802.11 header lengths, Prism): its zero rules would change verdicts there ("0 % x"
        // rejects the packet at run time where x is 0).
        if (optimize && body != null && !gen.NoOptimize)
        {
            root = Optimizer.Optimize(root, out bool rejectsAll);
            if (rejectsAll) throw new PcapException("expression rejects all packets");
        }
        return Assembler.Assemble(root);
    }
}
