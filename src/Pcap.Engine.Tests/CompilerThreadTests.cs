using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Pcap.Engine.Bpf;
using Pcap.Engine.Compiler;
using Pcap.Engine.Handles;
using Xunit;

namespace Pcap.Engine.Tests;

/// <summary>pcap_compile is safe on several threads at once: the same results as one thread gives.</summary>
public sealed class CompilerThreadTests
{
    private static string Outcome(string expr, int dlt)
    {
        if (!FilterCompiler.TryCompile(expr, dlt, 262144, true, 0xffffffff, out var p, out string error)) return "error: " + error;
        return string.Join(",", p.Select(i => $"{i.Code}:{i.Jt}:{i.Jf}:{i.K}"));
    }

    [Fact]
    public void ParallelCompilesGiveTheSequentialResults()
    {
        var shared = CompilerDifferential.FindShared();
        var reference = CompilerReference.TryLoad();
        if (shared == null || reference == null) return;
        var cases = File.ReadLines(Path.Combine(shared, "compat", "filters", "corpus.tsv")).Skip(1)
            .Select(l => l.Split('\t')).Where(f => f.Length > 2).Take(1500)
            .Select(f => (Expr: f[2], Dlt: reference.LinkTypeValue(f[1]))).ToArray();
        var expected = cases.Select(c => Outcome(c.Expr, c.Dlt)).ToArray();
        var actual = new string[cases.Length];
        Parallel.For(0, cases.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => actual[i] = Outcome(cases[i].Expr, cases[i].Dlt));
        var differing = Enumerable.Range(0, cases.Length).Where(i => expected[i] != actual[i]).Select(i => cases[i].Expr).ToList();
        Assert.True(differing.Count == 0, "differ on several threads: " + string.Join(" | ", differing.Take(5)));
        Assert.Contains(expected, e => e.StartsWith("error: "));
        Assert.Contains(expected, e => !e.StartsWith("error: "));
    }
}
