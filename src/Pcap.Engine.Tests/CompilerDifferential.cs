using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Pcap.Engine.Bpf;
using Pcap.Engine.Compiler;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Tests;

/// <summary>
/// Compiles one expression with our compiler and with the system libpcap and judges ours as
/// ../shared/compat/filters/README.md says: same accept/refuse, same error text, same verdict on every frame,
/// our program valid and never loading an unstored scratch cell.
/// </summary>
internal sealed class CompilerDifferential(CompilerReference reference, string sharedRoot)
{
    public sealed class Tally
    {
        public int Cases, AcceptAgree, ErrorTextsEqual, RefusedByBoth, AcceptedByBoth, VerdictsAgree, Invalid, Crashes;
        public long Frames, FramesAgree, OurInstructions, RefInstructions, OurUnoptInstructions, RefUnoptInstructions;
        public readonly List<string> Failures = [];

        public override string ToString() =>
            $"accept/refuse agree {AcceptAgree}/{Cases}; error texts equal {ErrorTextsEqual}/{RefusedByBoth}; " +
            $"verdicts agree on {VerdictsAgree}/{AcceptedByBoth} accepted cases ({FramesAgree}/{Frames} frame runs); " +
            $"invalid programs {Invalid}; crashes {Crashes}; instructions optimised ours {OurInstructions} vs libpcap {RefInstructions}, " +
            $"unoptimised ours {OurUnoptInstructions} vs libpcap {RefUnoptInstructions}";
    }

    private readonly Dictionary<int, List<CompilerReference.Frame>> _frames = new();

    public static string? FindShared()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir != null)
        {
            var candidate = Path.Combine(dir, "..", "shared", "compat", "filters");
            if (Directory.Exists(candidate)) return Path.GetFullPath(Path.Combine(dir, "..", "shared"));
            dir = Path.GetDirectoryName(dir);
        }
        return null;
    }

    /// <summary>Frames of a link type: the synthetic capture and every tcpdump test capture of that type.</summary>
    public List<CompilerReference.Frame> FramesFor(string dltName, int dlt)
    {
        lock (_frames)
        {
            if (_frames.Count == 0) LoadTcpdumpCaptures();
            if (!_frames.TryGetValue(dlt, out var list)) _frames[dlt] = list = [];
            var synth = Path.Combine(sharedRoot, "compat", "filters", "synthetic", dltName + ".pcap");
            if (File.Exists(synth) && !_loadedSynthetic.Contains(dltName))
            {
                _loadedSynthetic.Add(dltName);
                var s = reference.ReadSavefile(synth);
                if (s != null) list.InsertRange(0, s.Value.Frames);
            }
            return list;
        }
    }

    private readonly HashSet<string> _loadedSynthetic = [];

    private void LoadTcpdumpCaptures()
    {
        var tests = Path.Combine(sharedRoot, "compat", "tcpdump-4.99.3", "tests");
        if (!Directory.Exists(tests)) return;
        foreach (var f in Directory.GetFiles(tests).Where(f => f.EndsWith(".pcap") || f.EndsWith(".pcapng")).OrderBy(f => f, StringComparer.Ordinal))
        {
            var s = reference.ReadSavefile(f);
            if (s == null) continue;
            if (!_frames.TryGetValue(s.Value.LinkType, out var list)) _frames[s.Value.LinkType] = list = [];
            list.AddRange(s.Value.Frames);
        }
    }

    /// <summary>The reference's own quirks (README): verdict noise we do not hold against our program.</summary>
    private static bool ReferenceReadsUnstoredScratch(string dltName, string expression) =>
        (expression.Contains("geneve") && dltName.StartsWith("IEEE802_11")) ||
        (expression.Contains("pppoes") && dltName == "IEEE802_11_RADIO");

    /// <summary>What pcap_geterr shows of an error: the handle's 256-byte buffer holds 255 bytes of it.</summary>
    private static string ErrbufText(string message)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(message);
        return bytes.Length <= 255 ? message : System.Text.Encoding.UTF8.GetString(bytes, 0, 255);
    }

    public void Judge(string id, string dltName, string expression, int snapLength, uint netmask, string? expectedError, Tally t, bool checkUnoptimised = true)
    {
        int dlt = reference.LinkTypeValue(dltName);
        t.Cases++;
        var (refProg, refErr) = reference.Compile(expression, dlt, snapLength, true, netmask);
        Instruction[]? ours = null;
        string? ourErr = null;
        try { if (FilterCompiler.TryCompile(expression, dlt, snapLength, true, netmask, out var p, out string err)) ours = p; else ourErr = ErrbufText(err); }
        catch (Exception e) { t.Crashes++; ourErr = "CRASH " + e.GetType().Name + ": " + e.Message; t.Failures.Add($"{id}\t{dltName}\t{expression}\tcrash\t{e}"); }

        if ((refProg == null) != (ours == null))
        {
            t.Failures.Add($"{id}\t{dltName}\t{expression}\taccept/refuse\tours={(ours == null ? "error: " + ourErr : "ok")} libpcap={(refProg == null ? "error: " + refErr : "ok")}");
            return;
        }
        t.AcceptAgree++;
        if (refProg == null)
        {
            t.RefusedByBoth++;
            if (ourErr == refErr) t.ErrorTextsEqual++;
            else t.Failures.Add($"{id}\t{dltName}\t{expression}\terror text\tours=\"{ourErr}\" libpcap=\"{refErr}\"");
            return;
        }
        t.AcceptedByBoth++;
        t.OurInstructions += ours!.Length;
        t.RefInstructions += refProg.Length;
        bool ok = CheckProgram(id, dltName, expression, ours, refProg, dlt, snapLength, netmask, t, "optimised");
        if (checkUnoptimised)
        {
            Instruction[]? oursU = null;
            if (FilterCompiler.TryCompile(expression, dlt, snapLength, false, netmask, out var pu, out string errU)) oursU = pu;
            else { t.Failures.Add($"{id}\t{dltName}\t{expression}\tunoptimised refused\t{errU}"); ok = false; }
            var (refU, _) = reference.Compile(expression, dlt, snapLength, false, netmask);
            if (oursU != null && refU != null)
            {
                t.OurUnoptInstructions += oursU.Length;
                t.RefUnoptInstructions += refU.Length;
                ok &= CheckProgram(id, dltName, expression, oursU, refU, dlt, snapLength, netmask, t, "unoptimised");
            }
        }
        if (ok) t.VerdictsAgree++;
    }

    private bool CheckProgram(string id, string dltName, string expression, Instruction[] ours, Instruction[] refProg, int dlt, int snapLength, uint netmask, Tally t, string mode)
    {
        if (!reference.Validate(ours) || ProgramChecks.FirstUnstoredScratchLoad(ours) is int bad && bad >= 0)
        {
            t.Invalid++;
            t.Failures.Add($"{id}\t{dltName}\t{expression}\tinvalid {mode} program\t{ProgramChecks.Dump(ours)}");
            return false;
        }
        bool quirky = ReferenceReadsUnstoredScratch(dltName, expression);
        Instruction[]? refOther = null;
        int mismatches = 0;
        string firstBad = "";
        foreach (var f in FramesFor(dltName, dlt))
        {
            t.Frames++;
            uint a = reference.Filter(ours, f), b = reference.Filter(refProg, f);
            if (a == b) { t.FramesAgree++; continue; }
            if (quirky) { t.FramesAgree++; continue; }
            // Where a load goes past the captured bytes (a truncated frame, or the Linux packet-type extension
            // a savefile lacks), libpcap's optimised and unoptimised programs disagree themselves: either is libpcap.
            refOther ??= reference.Compile(expression, dlt, snapLength, mode != "optimised", netmask).Program;
            if (refOther != null && reference.Filter(refOther, f) == a) { t.FramesAgree++; continue; }
            if (mismatches++ == 0) firstBad = $"frame len {f.Data.Length}/{f.WireLength} ours={a} libpcap={b} data={Convert.ToHexString(f.Data, 0, Math.Min(f.Data.Length, 96))}";
        }
        if (mismatches == 0) return true;
        t.Failures.Add($"{id}\t{dltName}\t{expression}\tverdict {mode}\t{mismatches} frames differ; first: {firstBad}\n{ProgramChecks.Dump(ours)}");
        return false;
    }
}
