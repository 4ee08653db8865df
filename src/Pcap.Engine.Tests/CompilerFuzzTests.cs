using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace Pcap.Engine.Tests;

/// <summary>
/// Differential fuzzing: random expressions from the pcap-filter(7) grammar (well-formed and broken),
/// compiled by ours and by the system libpcap and judged like the corpus. Fixed seed; PCAP_FUZZ_COUNT
/// asks for more, PCAP_FUZZ_SEED for another sequence.
/// </summary>
public sealed class CompilerFuzzTests(ITestOutputHelper output)
{
    private static readonly string[] Protos = ["ip", "ip6", "arp", "rarp", "tcp", "udp", "sctp", "icmp", "icmp6", "igmp", "pim", "vrrp", "ah", "esp", "ether", "link", "wlan", "decnet", "iso", "stp", "ipx", "netbeui", "atalk", "radio"];
    private static readonly string[] Dirs = ["src", "dst", "src or dst", "src and dst", "addr1", "ra", "ta"];
    private static readonly string[] Kinds = ["host", "net", "port", "portrange", "proto", "gateway"];
    private static readonly string[] Ids = ["1.2.3.4", "10.0.0.0/8", "10.1", "192.168.1.0 mask 255.255.255.0", "80", "1-1023", "http", "domain", "::1", "fe80::/16",
        "2001:db8::1", "00:11:22:33:44:55", "localhost", "tcp", "udp", "300.1.2.3", "70000", "0x10", "017"];
    private static readonly string[] Atoms = ["vlan", "vlan 100", "mpls", "mpls 7", "pppoes", "pppoed", "llc", "broadcast", "multicast", "ip broadcast", "ip multicast",
        "ip6 multicast", "less 100", "greater 60", "inbound", "outbound", "type data", "type mgt subtype beacon", "dir tods", "tcp[tcpflags] & tcp-syn != 0",
        "icmp[icmptype] = icmp-echo", "len > 100", "ip[2:2] - 20 > 0", "ether[0] & 1 = 1", "udp[8:4] = 0x12345678", "ip[0] % 3 * 2 = 1"];
    private static readonly string[] Junk = ["(", ")", "and", "or", "not", "[", "]", ":", "=", "+", "&&", "!", "host", "42"];

    private static string Primitive(Random r)
    {
        int k = r.Next(4);
        if (k == 0) return Atoms[r.Next(Atoms.Length)];
        if (k == 1) return Protos[r.Next(Protos.Length)];
        var sb = new StringBuilder();
        if (r.Next(2) == 0) sb.Append(Protos[r.Next(Protos.Length)]).Append(' ');
        if (r.Next(2) == 0) sb.Append(Dirs[r.Next(Dirs.Length)]).Append(' ');
        if (r.Next(3) != 0) sb.Append(Kinds[r.Next(Kinds.Length)]).Append(' ');
        sb.Append(Ids[r.Next(Ids.Length)]);
        return sb.ToString();
    }

    internal static string Expression(Random r, int depth = 0)
    {
        int k = r.Next(depth > 2 ? 2 : 6);
        string e = k switch
        {
            0 or 1 => Primitive(r),
            2 => "not " + Expression(r, depth + 1),
            3 => "(" + Expression(r, depth + 1) + ")",
            4 => Expression(r, depth + 1) + " and " + (r.Next(3) == 0 ? Ids[r.Next(Ids.Length)] : Expression(r, depth + 1)),
            _ => Expression(r, depth + 1) + " or " + Expression(r, depth + 1),
        };
        if (depth == 0 && r.Next(6) == 0)
        {
            // Ill-formed: a stray token somewhere.
            var words = e.Split(' ').ToList();
            words.Insert(r.Next(words.Count + 1), Junk[r.Next(Junk.Length)]);
            e = string.Join(' ', words);
        }
        return e;
    }

    [Fact]
    public void RandomExpressionsAgreeWithLibpcap()
    {
        var shared = CompilerDifferential.FindShared();
        var reference = CompilerReference.TryLoad();
        if (shared == null || reference == null) { output.WriteLine("SKIP: ../shared or the system libpcap is absent"); return; }
        int count = int.TryParse(Environment.GetEnvironmentVariable("PCAP_FUZZ_COUNT"), out int c) ? c : 2000;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("PCAP_FUZZ_SEED"), out int s) ? s : 4242;
        var r = new Random(seed);
        var judge = new CompilerDifferential(reference, shared);
        var tally = new CompilerDifferential.Tally();
        string[] dlts = ["EN10MB", "RAW", "LINUX_SLL", "LINUX_SLL2", "NULL", "LOOP", "PPP", "IEEE802_11", "IEEE802_11_RADIO"];
        for (int i = 0; i < count; i++)
        {
            string dlt = dlts[r.Next(dlts.Length)];
            string expr = Expression(r);
            judge.Judge($"fuzz-{seed}-{i}", dlt, expr, 262144, r.Next(4) == 0 ? 0xffffff00u : CompilerCorpusTests.NetmaskUnknown, null, tally, checkUnoptimised: false);
        }
        var report = Path.Combine(Path.GetTempPath(), "pcap-compiler-fuzz-report.txt");
        File.WriteAllLines(report, new[] { tally.ToString() }.Concat(tally.Failures));
        output.WriteLine($"fuzz seed {seed.ToString(CultureInfo.InvariantCulture)}, {count} expressions: {tally}");
        Assert.True(tally.Failures.Count == 0, tally + "\n" + string.Join("\n", tally.Failures.Take(10)));
    }
}
