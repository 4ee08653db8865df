using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Pcap.Engine.Bpf;
using Pcap.Engine.Compiler;
using Pcap.Engine.Handles;
using Xunit;
using Xunit.Abstractions;

namespace Pcap.Engine.Tests;

/// <summary>
/// Every link type the system libpcap has a name for, against everyday primitives and the link-type
/// specific ones, with and without optimisation: ours must accept what libpcap accepts, refuse with
/// libpcap's text, and give libpcap's verdict and snap length on frames of that link type (synthetic
/// frames built for the type, and frames derived from both programs' comparisons, see <see cref="FrameDeriver"/>).
/// </summary>
public sealed class CompilerEveryLinkTypeTests(ITestOutputHelper output)
{
    /// <summary>
    /// The primitives of compat-tests/linktypes/primitives.txt (shared with compat-tests/suites/32-linktypes.sh):
    /// the section's lines, "(empty)" standing for the empty expression.
    /// </summary>
    internal static List<string> Primitives(string section)
    {
        string? dir = AppContext.BaseDirectory, path = null;
        while (dir != null && path == null)
        {
            var candidate = Path.Combine(dir, "compat-tests", "linktypes", "primitives.txt");
            if (File.Exists(candidate)) path = candidate;
            dir = Path.GetDirectoryName(dir);
        }
        Assert.True(path != null, "compat-tests/linktypes/primitives.txt not found above the test assembly");
        var list = new List<string>();
        string current = "";
        foreach (var line in File.ReadAllLines(path!))
        {
            if (line.StartsWith('#') || line.Length == 0) continue;
            if (line.StartsWith('[')) { current = line.Trim('[', ']'); continue; }
            if (current == section) list.Add(line == "(empty)" ? "" : line);
        }
        Assert.NotEmpty(list);
        return list;
    }

    private static CompilerReference? Reference() => CompilerReference.TryLoad();

    internal sealed record Case(int Dlt, string DltName, string Expression, bool Optimize);

    internal sealed class Outcome
    {
        public int Cases, Differ;
        public readonly SortedDictionary<string, int> ByLinkType = new(StringComparer.Ordinal);
        public readonly List<string> Failures = [];
        public long Frames, Accepted;
        public int NoisyReference;
        public readonly HashSet<(int, string)> AcceptedCases = [];
    }

    internal static Outcome Judge(CompilerReference reference, IEnumerable<string> expressions)
    {
        var o = new Outcome();
        var types = reference.NamedLinkTypes();
        foreach (var (dlt, name) in types)
        {
            var frames = LinkTypeFrames.For(dlt);
            foreach (var e in expressions)
            foreach (var opt in new[] { true, false })
            {
                o.Cases++;
                string? why = JudgeOne(reference, dlt, e, opt, frames, o);
                if (why == null) continue;
                o.Differ++;
                o.ByLinkType[name] = o.ByLinkType.GetValueOrDefault(name) + 1;
                o.Failures.Add($"{name}({dlt})\t{(opt ? "-O" : "  ")}\t{e}\t{why}");
            }
        }
        return o;
    }

    private static string? JudgeOne(CompilerReference reference, int dlt, string e, bool opt, List<byte[]> frames, Outcome o)
    {
        const int snap = 262144;
        var (refProg, refErr) = reference.Compile(e, dlt, snap, opt, 0xffffff00);
        Instruction[]? ours = null;
        string? ourErr = null;
        try { if (FilterCompiler.TryCompile(e, dlt, snap, opt, 0xffffff00, out var p, out string err)) ours = p; else ourErr = err; }
        catch (Exception x) { return "crash " + x; }
        if (refProg == null && ours == null) return refErr == ourErr ? null : $"error text: ours \"{ourErr}\" libpcap \"{refErr}\"";
        if (refProg == null) return $"ours accepts, libpcap: \"{refErr}\"";
        if (ours == null) return $"ours refuses \"{ourErr}\", libpcap accepts";
        if (!reference.Validate(ours)) return "our program fails bpf_validate";
        if (ProgramChecks.FirstUnstoredScratchLoad(ours) >= 0) return "our program loads an unstored scratch cell";
        // libpcap's programs that read a scratch cell they never stored (PPPoE or Geneve on 802.11 with a
        // radio header, ...) give noise in its bpf_filter: their verdicts are not compared (ours store zero first).
        if (ProgramChecks.FirstUnstoredScratchLoad(refProg) >= 0) { o.NoisyReference++; return null; }
        var all = new List<byte[]>(frames);
        all.AddRange(FrameDeriver.Derive(refProg, frames));
        all.AddRange(FrameDeriver.Derive(ours, frames));
        Instruction[]? refOther = null;
        foreach (var f in all)
        {
            o.Frames++;
            var fr = new CompilerReference.Frame(f, (uint)f.Length);
            uint a = reference.Filter(ours, fr), b = reference.Filter(refProg, fr);
            if (b != 0) { o.Accepted++; o.AcceptedCases.Add((dlt, e)); }
            if (a == b) continue;
            // Where a load goes past the captured bytes, libpcap's optimised and unoptimised programs
            // disagree themselves (its optimiser drops loads whose result cannot matter): either is libpcap.
            refOther ??= reference.Compile(e, dlt, snap, !opt, 0xffffff00).Program;
            if (refOther != null && reference.Filter(refOther, fr) == a) continue;
            return $"verdict {a} vs libpcap {b} on {Convert.ToHexString(f, 0, Math.Min(f.Length, 80))} (len {f.Length})\n{ProgramChecks.Dump(ours)}---\n{ProgramChecks.Dump(refProg)}";
        }
        return null;
    }

    private void Report(Outcome o, string what)
    {
        output.WriteLine($"{what}: {o.Cases - o.Differ}/{o.Cases} agree, {o.Differ} differ on {o.ByLinkType.Count} link types; {o.Frames} frame runs, {o.Accepted} of them accepted; " +
            $"{o.NoisyReference} cases where libpcap's program reads an unstored scratch cell (verdicts not compared)");
        foreach (var (k, v) in o.ByLinkType) output.WriteLine($"  {k}: {v}");
        foreach (var f in o.Failures.Take(60)) output.WriteLine(f);
        if (Environment.GetEnvironmentVariable("PCAP_LINKTYPE_ACCEPTED") is string acc && acc.Length > 0)
            File.WriteAllLines(acc, o.AcceptedCases.Select(c => $"{c.Item1}\t{c.Item2}"));
        var dump = Environment.GetEnvironmentVariable("PCAP_LINKTYPE_REPORT");
        if (!string.IsNullOrEmpty(dump)) File.WriteAllLines(dump, o.Failures);
    }

    [Fact]
    public void EverydayPrimitivesCompileAsLibpcapOnEveryLinkType()
    {
        var reference = Reference();
        Assert.NotNull(reference);
        var o = Judge(reference!, Primitives("everyday"));
        Report(o, "everyday primitives");
        Assert.True(reference!.NamedLinkTypes().Count > 100);
        Assert.Equal(14, Primitives("everyday").Count);
        // The frames reach the accepting paths: link[0] = 1 on every link type, ip on most.
        Assert.Equal(reference.NamedLinkTypes().Count, o.AcceptedCases.Count(c => c.Item2 == "link[0] = 1"));
        Assert.True(o.AcceptedCases.Count(c => c.Item2 == "ip") > 50);
        Assert.Empty(o.Failures);
    }

    [Fact]
    public void LinkDependentPrimitivesCompileAsLibpcapOnEveryLinkType()
    {
        var reference = Reference();
        Assert.NotNull(reference);
        var o = Judge(reference!, Primitives("link-dependent"));
        Report(o, "link-dependent primitives");
        Assert.Empty(o.Failures);
    }

    /// <summary>Random expressions of the fuzz grammar (fixed seed; PCAP_LINKTYPE_FUZZ_COUNT asks for more) on every link type.</summary>
    [Fact]
    public void RandomExpressionsCompileAsLibpcapOnEveryLinkType()
    {
        var reference = Reference();
        Assert.NotNull(reference);
        int count = int.TryParse(Environment.GetEnvironmentVariable("PCAP_LINKTYPE_FUZZ_COUNT"), out int c) ? c : 20;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("PCAP_LINKTYPE_FUZZ_SEED"), out int sd) ? sd : 1303;
        var r = new Random(seed);
        var expressions = Enumerable.Range(0, count).Select(_ => CompilerFuzzTests.Expression(r)).ToList();
        var o = Judge(reference!, expressions);
        Report(o, $"random expressions (seed {seed})");
        Assert.Empty(o.Failures);
    }
}
