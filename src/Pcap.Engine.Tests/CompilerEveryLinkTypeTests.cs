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
    /// <summary>The issue's 14 everyday primitives.</summary>
    internal static readonly string[] Everyday =
    [
        "", "ip", "ip6", "tcp", "udp port 53", "arp", "icmp", "host 10.0.0.1", "net 10.0.0.0/8",
        "ether host 01:02:03:04:05:06", "wlan host 01:02:03:04:05:06", "vlan", "mpls", "link[0] = 1",
    ];

    /// <summary>More primitives whose code depends on the link type.</summary>
    internal static readonly string[] LinkDependent =
    [
        "ether proto 0x0800", "ether proto 0x86dd", "ip proto 6", "ip6 proto 17", "port 80", "portrange 1-1024", "tcp[13] & 2 != 0",
        "ip[0] = 0x45", "ip6 host fe80::1", "host localhost", "rarp", "llc", "llc i", "llc u", "iso", "esis", "isis", "clnp", "atalk", "aarp",
        "decnet", "decnet host 1.2", "ipx", "stp", "netbeui", "lat", "sca", "mopdl", "moprc", "sctp", "icmp6", "igmp",
        "ether src 01:02:03:04:05:06", "ether dst 01:02:03:04:05:06", "ether broadcast", "ether multicast", "ip multicast", "ip6 multicast",
        "ether[0] = 1", "link[2:2] = 0x0800", "vlan 10 and ip", "mpls 100 and ip", "mpls and mpls and ip6", "vlan and vlan and tcp", "pppoes and ip",
        "pppoed", "inbound", "outbound", "ifindex 2", "arc host 01", "wlan addr1 01:02:03:04:05:06", "type data", "dir tods", "radio[0] = 0",
        "ifname eth0", "on eth0", "rnr 1", "rule 2", "srnr 3", "ruleset foo", "reason match", "action pass", "action block",
        "vpi 1", "vci 5", "vpi 0 and vci 16", "lane", "oam", "oamf4", "oamf4ec", "oamf4sc", "metac", "bcc", "sc", "ilmi", "connectmsg", "metaconnect",
        "lane and ip", "llc and ip", "fisu", "lssu", "msu", "hfisu", "hlssu", "hmsu", "sio 1", "opc 2", "dpc 3", "sls 4", "hsio 1", "hopc 2", "hdpc 3", "hsls 4",
        "geneve", "less 60", "greater 100", "ip and tcp port 80", "not ip6",
    ];

    private static CompilerReference? Reference() => CompilerReference.TryLoad();

    internal sealed record Case(int Dlt, string DltName, string Expression, bool Optimize);

    internal sealed class Outcome
    {
        public int Cases, Differ;
        public readonly SortedDictionary<string, int> ByLinkType = new(StringComparer.Ordinal);
        public readonly List<string> Failures = [];
        public long Frames, Accepted;
    }

    internal static Outcome Judge(CompilerReference reference, IEnumerable<string> expressions, bool verdicts)
    {
        var o = new Outcome();
        var types = reference.NamedLinkTypes();
        foreach (var (dlt, name) in types)
        {
            var frames = verdicts ? LinkTypeFrames.For(dlt) : [];
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
        try { ours = FilterCompiler.Compile(e, dlt, snap, opt, 0xffffff00); }
        catch (PcapException x) { ourErr = x.Message; }
        catch (Exception x) { return "crash " + x; }
        if (refProg == null && ours == null) return refErr == ourErr ? null : $"error text: ours \"{ourErr}\" libpcap \"{refErr}\"";
        if (refProg == null) return $"ours accepts, libpcap: \"{refErr}\"";
        if (ours == null) return $"ours refuses \"{ourErr}\", libpcap accepts";
        if (!reference.Validate(ours)) return "our program fails bpf_validate";
        if (ProgramChecks.FirstUnstoredScratchLoad(ours) >= 0) return "our program loads an unstored scratch cell";
        var all = new List<byte[]>(frames);
        all.AddRange(FrameDeriver.Derive(refProg, frames));
        all.AddRange(FrameDeriver.Derive(ours, frames));
        foreach (var f in all)
        {
            o.Frames++;
            var fr = new CompilerReference.Frame(f, (uint)f.Length);
            uint a = reference.Filter(ours, fr), b = reference.Filter(refProg, fr);
            if (b != 0) o.Accepted++;
            if (a != b) return $"verdict {a} vs libpcap {b} on {Convert.ToHexString(f, 0, Math.Min(f.Length, 80))} (len {f.Length})\n{ProgramChecks.Dump(ours)}---\n{ProgramChecks.Dump(refProg)}";
        }
        return null;
    }

    private void Report(Outcome o, string what)
    {
        output.WriteLine($"{what}: {o.Cases - o.Differ}/{o.Cases} agree, {o.Differ} differ on {o.ByLinkType.Count} link types; {o.Frames} frame runs, {o.Accepted} of them accepted");
        foreach (var (k, v) in o.ByLinkType) output.WriteLine($"  {k}: {v}");
        foreach (var f in o.Failures.Take(60)) output.WriteLine(f);
        var dump = Environment.GetEnvironmentVariable("PCAP_LINKTYPE_REPORT");
        if (!string.IsNullOrEmpty(dump)) File.WriteAllLines(dump, o.Failures);
    }

    [Fact]
    public void EverydayPrimitivesCompileAsLibpcapOnEveryLinkType()
    {
        var reference = Reference();
        Assert.NotNull(reference);
        var o = Judge(reference!, Everyday, verdicts: true);
        Report(o, "everyday primitives");
        Assert.True(reference!.NamedLinkTypes().Count > 100);
        Assert.Empty(o.Failures);
    }

    [Fact]
    public void LinkDependentPrimitivesCompileAsLibpcapOnEveryLinkType()
    {
        var reference = Reference();
        Assert.NotNull(reference);
        var o = Judge(reference!, LinkDependent, verdicts: true);
        Report(o, "link-dependent primitives");
        Assert.Empty(o.Failures);
    }
}
