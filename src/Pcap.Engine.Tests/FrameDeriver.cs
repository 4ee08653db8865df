using System;
using System.Collections.Generic;
using Pcap.Engine.Bpf;

namespace Pcap.Engine.Tests;

/// <summary>
/// Frames that steer a program down its other branches: the program runs on a frame in a tracing
/// interpreter that remembers where the accumulator was loaded from; at each conditional jump on a
/// loaded value, a new frame is made with the bytes there set so the jump goes the other way (and a
/// frame is lengthened where a load ran off its end). Repeated breadth-first from seed frames, this
/// reaches the accepting paths of link-type checks (magic numbers, type fields, header lengths)
/// without knowing the link layer, so verdicts are compared on frames that get past them.
/// </summary>
internal static class FrameDeriver
{
    /// <summary>Where A came from: the masked bytes at Offset, plus Add (an unoptimised program's "sub x" before its test).</summary>
    private readonly record struct Source(uint Offset, int Size, uint Mask, uint Add = 0);

    private readonly record struct Branch(Source Where, uint Value);

    public static List<byte[]> Derive(Instruction[] program, IReadOnlyList<byte[]> seeds, int budget = 128, int rounds = 12)
    {
        var seen = new HashSet<string>();
        foreach (var s in seeds) seen.Add(Convert.ToHexString(s));
        var result = new List<byte[]>();
        // A child flips only the jumps after the one its parent flipped (a generational search): the
        // jumps before it go the way they went, so the budget goes into reaching deeper tests.
        var queue = new List<(byte[] Frame, int Bound)>();
        for (int i = 0; i < seeds.Count && queue.Count < 12; i += Math.Max(1, seeds.Count / 12)) queue.Add((seeds[i], 0));
        if (queue.Count == 0) queue.Add((new byte[64], 0));
        for (int round = 0; round < rounds && queue.Count > 0; round++)
        {
            var next = new List<(byte[], int)>();
            foreach (var (frame, bound) in queue)
            {
                foreach (var (child, flipped) in Children(program, frame, bound))
                {
                    if (!seen.Add(Convert.ToHexString(child))) continue;
                    result.Add(child);
                    next.Add((child, flipped));
                    if (result.Count >= budget) return result;
                }
            }
            queue = next;
        }
        return result;
    }

    private static IEnumerable<(byte[], int)> Children(Instruction[] p, byte[] frame, int bound)
    {
        var branches = new List<Branch>();
        uint? needLength = Trace(p, frame, branches);
        if (needLength is uint n && n <= 4096)
        {
            var longer = new byte[n];
            Array.Copy(frame, longer, frame.Length);
            for (int i = frame.Length; i < n; i++) longer[i] = (byte)(i * 7 + 3);
            yield return (longer, bound);
        }
        for (int i = branches.Count - 1; i >= bound; i--)
        {
            var copy = Write(frame, branches[i].Where, branches[i].Value);
            if (copy != null) yield return (copy, i + 1);
        }
    }

    private static byte[]? Write(byte[] frame, Source at, uint value)
    {
        long end = (long)at.Offset + at.Size;
        if (end > 4096) return null;
        var f = new byte[Math.Max(frame.Length, end)];
        Array.Copy(frame, f, frame.Length);
        uint old = 0;
        for (int i = 0; i < at.Size; i++) old = old << 8 | f[at.Offset + i];
        uint v = (old & ~at.Mask) | (value & at.Mask);
        for (int i = at.Size - 1; i >= 0; i--) { f[at.Offset + i] = (byte)v; v >>= 8; }
        return f;
    }

    /// <summary>Runs the program as libpcap's bpf_filter does, noting each jump's way not taken; returns the
    /// length a load past the end needed, if one failed.</summary>
    private static uint? Trace(Instruction[] p, byte[] d, List<Branch> branches)
    {
        uint a = 0, x = 0;
        Source? aSrc = null;
        var mem = new uint[16];
        var memSrc = new Source?[16];
        int pc = 0;
        uint len = (uint)d.Length;
        for (int steps = 0; steps < 100000 && pc < p.Length; steps++)
        {
            var ins = p[pc++];
            int code = ins.Code;
            uint k = ins.K;
            switch (code & 7)
            {
                case 0x00: // LD
                case 0x01: // LDX
                    {
                        bool toX = (code & 7) == 1;
                        int mode = code & 0xe0, size = code & 0x18;
                        int bytes = size == 0x00 ? 4 : size == 0x08 ? 2 : 1;
                        uint v;
                        Source? src = null;
                        switch (mode)
                        {
                            case 0x00: v = k; break; // IMM
                            case 0x80: v = len; break; // LEN
                            case 0x60: v = mem[k & 15]; src = memSrc[k & 15]; break; // MEM
                            case 0xa0: // MSH
                                if (k >= len) return k + 1;
                                v = (uint)(d[k] & 0xf) << 2;
                                break;
                            default:
                                {
                                    ulong off = mode == 0x40 ? (ulong)x + k : k;
                                    if (off > 0xffffffff || off + (ulong)bytes > len) return off + (ulong)bytes <= 4096 ? (uint)(off + (ulong)bytes) : null;
                                    uint o = (uint)off;
                                    v = bytes == 4 ? (uint)(d[o] << 24 | d[o + 1] << 16 | d[o + 2] << 8 | d[o + 3]) : bytes == 2 ? (uint)(d[o] << 8 | d[o + 1]) : d[o];
                                    src = new Source(o, bytes, bytes == 4 ? 0xffffffff : bytes == 2 ? 0xffffu : 0xffu);
                                    break;
                                }
                        }
                        if (toX) x = v;
                        else { a = v; aSrc = src; }
                        break;
                    }
                case 0x02: mem[k & 15] = a; memSrc[k & 15] = aSrc; break;
                case 0x03: mem[k & 15] = x; memSrc[k & 15] = null; break;
                case 0x04: // ALU
                    {
                        uint operand = (code & 0x08) != 0 ? x : k;
                        int op = code & 0xf0;
                        if (op == 0x50 && (code & 0x08) == 0 && aSrc is Source s && s.Add == 0) aSrc = s with { Mask = s.Mask & k };
                        else if (op is 0x00 or 0x10 && aSrc is Source t) aSrc = t with { Add = op == 0x00 ? t.Add + operand : t.Add - operand };
                        else aSrc = null;
                        switch (op)
                        {
                            case 0x00: a += operand; break;
                            case 0x10: a -= operand; break;
                            case 0x20: a *= operand; break;
                            case 0x30: if (operand == 0) return null; a /= operand; break;
                            case 0x90: if (operand == 0) return null; a %= operand; break;
                            case 0x40: a |= operand; break;
                            case 0x50: a &= operand; break;
                            case 0xa0: a ^= operand; break;
                            case 0x60: a = operand < 32 ? a << (int)operand : 0; break;
                            case 0x70: a = operand < 32 ? a >> (int)operand : 0; break;
                            case 0x80: a = (uint)-(int)a; break;
                        }
                        break;
                    }
                case 0x05: // JMP
                    {
                        int op = code & 0xf0;
                        if (op == 0x00) { pc += (int)k; break; }
                        uint operand = (code & 0x08) != 0 ? x : k;
                        bool taken = op switch
                        {
                            0x10 => a == operand,
                            0x20 => a > operand,
                            0x30 => a >= operand,
                            _ => (a & operand) != 0,
                        };
                        if (aSrc is Source s && (s.Add == 0 || op != 0x40))
                        {
                            uint want = op switch
                            {
                                0x10 => taken ? operand ^ LowBit(s.Mask) : operand,
                                0x20 => taken ? operand : operand + 1,
                                0x30 => taken ? operand - 1 : operand,
                                _ => taken ? a & ~operand : LowBit(operand & s.Mask) | a,
                            };
                            branches.Add(new Branch(s, want - s.Add));
                        }
                        pc += taken ? ins.Jt : ins.Jf;
                        break;
                    }
                case 0x06: return null;
                case 0x07:
                    if ((code & 0xf8) == 0x00) x = a;
                    else { a = x; aSrc = null; }
                    break;
            }
        }
        return null;
    }

    private static uint LowBit(uint m) => m == 0 ? 1 : m & (uint)-(int)m;
}
