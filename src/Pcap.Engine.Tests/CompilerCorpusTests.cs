using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using Xunit;
using Xunit.Abstractions;

namespace Pcap.Engine.Tests;

/// <summary>The differential test of ../shared/compat/filters: every corpus case against the system libpcap.</summary>
public sealed class CompilerCorpusTests(ITestOutputHelper output)
{
    internal const uint NetmaskUnknown = 0xffffffff;

    internal static (int SnapLength, uint Netmask) CallOptions(string notes)
    {
        int snap = 262144;
        uint mask = 0;
        foreach (var w in notes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (w.StartsWith("snaplen=")) snap = int.Parse(w[8..], CultureInfo.InvariantCulture);
            else if (w == "netmask=unknown") mask = NetmaskUnknown;
            else if (w.StartsWith("netmask="))
            {
                var b = IPAddress.Parse(w[8..]).GetAddressBytes();
                mask = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
            }
        }
        return (snap, mask);
    }

    [Fact]
    public void WholeCorpusAgreesWithLibpcap()
    {
        var shared = CompilerDifferential.FindShared();
        var reference = CompilerReference.TryLoad();
        if (shared == null || reference == null) { output.WriteLine("SKIP: ../shared or the system libpcap is absent"); return; }
        var judge = new CompilerDifferential(reference, shared);
        var tally = new CompilerDifferential.Tally();
        string? only = Environment.GetEnvironmentVariable("PCAP_CORPUS_FILTER");
        // PCAP_CASES_FILE: "DLT<TAB>expression" lines judged instead of the corpus (to study one difference).
        string? cases = Environment.GetEnvironmentVariable("PCAP_CASES_FILE");
        if (cases != null)
        {
            int n = 0;
            foreach (var line in File.ReadLines(cases))
            {
                var f = line.Split('\t');
                if (f.Length >= 2) judge.Judge($"case-{++n}", f[0], f[1], 262144, NetmaskUnknown, null, tally);
            }
        }
        else
        foreach (var line in File.ReadLines(Path.Combine(shared, "compat", "filters", "corpus.tsv")).Skip(1))
        {
            var f = line.Split('\t');
            if (only != null && !f[1].Contains(only) && !f[2].Contains(only)) continue;
            var (snap, mask) = CallOptions(f.Length > 4 ? f[4] : "");
            judge.Judge(f[0], f[1], f[2], snap, mask, null, tally);
        }
        var report = Path.Combine(Path.GetTempPath(), "pcap-compiler-corpus-report.txt");
        File.WriteAllLines(report, new[] { tally.ToString() }.Concat(tally.Failures));
        output.WriteLine(tally.ToString());
        output.WriteLine("details: " + report);
        Assert.True(tally.Failures.Count == 0, tally + $"\nfirst failures:\n" + string.Join("\n", tally.Failures.Take(15)));
    }
}
