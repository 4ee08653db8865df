using System.Text;
using Pcap.Engine.Bpf;

namespace Pcap.Engine.Tests;

/// <summary>Static checks of a compiled program beyond bpf_validate.</summary>
internal static class ProgramChecks
{
    /// <summary>Index of the first instruction that may load a scratch cell not stored on every path to it, or -1.</summary>
    public static int FirstUnstoredScratchLoad(Instruction[] p)
    {
        // Classic BPF jumps only forward, so one pass in order settles the "stored on every path" sets.
        var stored = new uint?[p.Length + 1];
        stored[0] = 0;
        for (int i = 0; i < p.Length; i++)
        {
            if (stored[i] is not uint s) continue; // unreachable
            var ins = p[i];
            int cls = ins.Code & 7;
            if ((cls == 0 || cls == 1) && (ins.Code & 0xe0) == 0x60 && (s & (1u << (int)(ins.K & 15))) == 0) return i;
            uint after = s;
            if (cls == 2 || cls == 3) after |= 1u << (int)(ins.K & 15);
            if (cls == 6) continue;
            if (cls == 5)
            {
                if ((ins.Code & 0xf0) == 0x00) Merge(stored, i + 1 + (int)ins.K, after);
                else { Merge(stored, i + 1 + ins.Jt, after); Merge(stored, i + 1 + ins.Jf, after); }
                continue;
            }
            Merge(stored, i + 1, after);
        }
        return -1;
    }

    private static void Merge(uint?[] stored, int at, uint s)
    {
        if (at >= stored.Length) return;
        stored[at] = stored[at] is uint old ? old & s : s;
    }

    public static string Dump(Instruction[] p)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < p.Length; i++)
            sb.Append($"  ({i:D3}) code=0x{p[i].Code:x2} jt={p[i].Jt} jf={p[i].Jf} k=0x{p[i].K:x}\n");
        return sb.ToString();
    }
}
