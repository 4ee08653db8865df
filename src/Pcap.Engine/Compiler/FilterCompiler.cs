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
    /// Compiles <paramref name="expression"/> for a link type. Where libpcap refuses the expression, returns
    /// false with libpcap's error text: a refusal is a value here, not an exception (libpcap longjmps; an
    /// exception costs microseconds of unwinding under NativeAOT, and half of real-world refusals are cheap).
    /// </summary>
    public static bool TryCompile(string expression, int linkType, int snapLength, bool optimize, uint netmask,
        out Instruction[] program, out string error)
    {
        if (expression.Length <= LongExpression)
            return CompileHere(expression, linkType, snapLength, optimize, netmask, out program, out error);
        Instruction[] p = [];
        string e = "";
        bool ok = false;
        ExceptionDispatchInfo? bug = null;
        var thread = new Thread(() =>
        {
            // Only a bug throws; it must reach the caller's thread (and pcap_compile's boundary), not end the process.
            try { ok = CompileHere(expression, linkType, snapLength, optimize, netmask, out p, out e); }
            catch (Exception x) { bug = ExceptionDispatchInfo.Capture(x); }
        }, LongExpressionStack);
        thread.Start();
        thread.Join();
        bug?.Throw();
        program = p;
        error = e;
        return ok;
    }

    private static bool CompileHere(string expression, int linkType, int snapLength, bool optimize, uint netmask,
        out Instruction[] program, out string error)
    {
        program = [];
        error = "";
        // The empty expression is "ret #snaplen" on every link type libpcap accepts, whatever its layout.
        if (Lexer.IsBlank(expression) && Dlt.LibpcapCompilesFor(linkType))
        {
            program = [new Instruction(0x06, 0, 0, (uint)snapLength)];
            return true;
        }
        var chunks = new ChunkModel();
        Block? body = null, root = null;
        CodeGenerator gen;
        ChunkModel.Current = chunks;
        try
        {
            gen = new CodeGenerator(linkType, snapLength, netmask, chunks);
            if (!gen.Failed && new Parser(Lexer.Tokenize(expression), gen, chunks).ParseProgram(out body))
                root = body == null ? gen.AcceptAll() : gen.Finish(body);
        }
        finally { ChunkModel.Current = null; }
        if (chunks.Error != null || root == null)
        {
            error = chunks.Error ?? throw new InvalidOperationException("the compiler gave neither a program nor an error");
            return false;
        }
        // libpcap turns its optimiser (and with it this refusal) off for code it cannot take (geneve,
        // protochain, 802.11 header lengths, Prism): its zero rules would change verdicts there ("0 % x"
        // rejects the packet at run time where x is 0).
        if (optimize && body != null && !gen.NoOptimize)
        {
            // The optimiser's own refusals (a division by zero it finds by folding constants) are still
            // exceptions: they are rare.
            bool rejectsAll;
            try { root = Optimizer.Optimize(root, out rejectsAll); }
            catch (PcapException e)
            {
                error = e.Message;
                return false;
            }
            if (rejectsAll)
            {
                error = "expression rejects all packets";
                return false;
            }
        }
        program = Assembler.Assemble(root);
        return true;
    }
}
