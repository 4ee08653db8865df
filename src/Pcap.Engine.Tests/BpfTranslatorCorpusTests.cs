using System;
using System.IO;
using System.Linq;
using Pcap.Engine.Bpf;
using Pcap.Engine.Compiler;
using Pcap.Engine.Handles;
using Xunit;
using Xunit.Abstractions;

namespace Pcap.Engine.Tests;

/// <summary>
/// Every program of the filter corpus (ours optimised and not, and libpcap's) over every frame of
/// its link type: the translated code, the machine and libpcap's bpf_filter give the same verdict.
/// </summary>
public sealed unsafe class BpfTranslatorCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryCorpusProgramGivesTheSameVerdictTranslated()
    {
        var shared = CompilerDifferential.FindShared();
        var reference = CompilerReference.TryLoad();
        if (shared == null || reference == null) { output.WriteLine("SKIP: ../shared or the system libpcap is absent"); return; }
        var frames = new CompilerDifferential(reference, shared);
        long programs = 0, runs = 0;
        foreach (var line in File.ReadLines(Path.Combine(shared, "compat", "filters", "corpus.tsv")).Skip(1))
        {
            var f = line.Split('\t');
            if (f.Length < 4 || f[3] != "ok") continue;
            var (snap, mask) = CompilerCorpusTests.CallOptions(f.Length > 4 ? f[4] : "");
            int dlt = reference.LinkTypeValue(f[1]);
            var candidates = new[]
            {
                Compile(f[2], dlt, snap, true, mask),
                Compile(f[2], dlt, snap, false, mask),
                reference.Compile(f[2], dlt, snap, true, mask).Program,
            };
            foreach (var code in candidates)
            {
                if (code == null || !reference.Validate(code)) continue;
                // libpcap's uninitialised scratch memory makes its verdict noise where a cell is loaded unstored.
                bool askLibpcap = ProgramChecks.FirstUnstoredScratchLoad(code) < 0;
                using var translated = BpfTranslatorTests.Translate(code);
                programs++;
                fixed (Instruction* c = code)
                    foreach (var frame in frames.FramesFor(f[1], dlt))
                        fixed (byte* p = frame.Data)
                        {
                            uint buflen = (uint)frame.Data.Length;
                            uint machine = Machine.Filter(c, (uint)code.Length, p, frame.WireLength, buflen);
                            uint fast = translated.Run(p, frame.WireLength, buflen);
                            uint libpcap = askLibpcap ? BpfReference.Filter(c, p, frame.WireLength, buflen) : machine;
                            if (machine != fast || machine != libpcap)
                                Assert.Fail($"{f[0]} {f[1]} \"{f[2]}\": machine {machine}, translated {fast}, libpcap {libpcap} " +
                                    $"on {Convert.ToHexString(frame.Data, 0, Math.Min(96, frame.Data.Length))}\n{Image.Dump(code, 1)}");
                            runs++;
                        }
            }
        }
        output.WriteLine($"{programs} programs, {runs} frame runs: translated = machine = libpcap");
        Assert.True(programs > 3000 && runs > 10_000_000, $"only {programs} programs, {runs} runs");
    }

    static Instruction[]? Compile(string expression, int dlt, int snap, bool optimize, uint mask) =>
        FilterCompiler.TryCompile(expression, dlt, snap, optimize, mask, out var program, out _) ? program : null;
}
