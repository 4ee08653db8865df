using System;
using System.Collections.Generic;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Compiler;

/// <summary>Where an offset is counted from (gencode.c's enum e_offrel).</summary>
internal enum OffRel { Packet, LinkHdr, PrevLinkHdr, Llc, PrevMplsHdr, LinkType, LinkPl, LinkPlNoSnap, TranIpv4, TranIpv6 }

/// <summary>An offset that may have a variable part held in a scratch register (struct addrinfo of gencode.c's abs_offset).</summary>
internal sealed class AbsOffset
{
    public bool IsVariable;
    public uint ConstantPart;
    public int Reg = -1;
    public AbsOffset Copy() => new() { IsVariable = IsVariable, ConstantPart = ConstantPart, Reg = Reg };
}

/// <summary>An arithmetic value under construction (struct arth): code that leaves it in a scratch register, plus protocol checks.</summary>
internal sealed class Arth
{
    public Block? B;
    public required List<Stmt> S;
    public int Regno;
}

/// <summary>
/// The code generator: gencode.c's primitives over a block graph, for one compilation
/// (state is per call, so compiling on several threads is safe).
/// </summary>
internal sealed partial class CodeGenerator
{
    private readonly int _snapLength;
    private readonly uint _netmask;
    private readonly bool[] _regUsed = new bool[16];
    private int _curReg;
    private readonly ChunkModel _chunks;

    public CodeGenerator(int linkType, int snapLength, uint netmask, ChunkModel chunks)
    {
        _chunks = chunks;
        _snapLength = snapLength;
        _netmask = netmask;
        InitLinkType(linkType);
    }

    // ---- errors

    /// <summary>The compilation's error, once gencode would have raised one (the parser stops then).</summary>
    public bool Failed => _chunks.Error != null;

    /// <summary>
    /// gencode's bpf_error without its longjmp: records the compilation's first error and returns a placeholder
    /// block. The primitive under way finishes on placeholders (first error wins, so nothing after it is
    /// reported) and the parser stops right after it, before it reads further: an error costs no exception.
    /// </summary>
    private Block Fail(string text)
    {
        _chunks.Fail(text);
        return new Block(Op.RET | Op.K, 0);
    }

    /// <summary><see cref="Fail(string)"/> where a number is due: the placeholder is 0.</summary>
    private uint FailNumber(string text)
    {
        _chunks.Fail(text);
        return 0;
    }

    // ---- block plumbing (gencode.c's backpatch/merge/gen_and/gen_or/gen_not)

    private static void Backpatch(Block? list, Block target)
    {
        while (list != null)
        {
            Block? next;
            if (!list.Sense) { next = list.Jt; list.Jt = target; }
            else { next = list.Jf; list.Jf = target; }
            list = next;
        }
    }

    private static void Merge(Block b0, Block b1)
    {
        Block p = b0;
        while (true)
        {
            Block? n = !p.Sense ? p.Jt : p.Jf;
            if (n == null) break;
            p = n;
        }
        if (!p.Sense) p.Jt = b1; else p.Jf = b1;
    }

    public static void And(Block b0, Block b1)
    {
        Backpatch(b0, b1.Head);
        b0.Sense = !b0.Sense;
        b1.Sense = !b1.Sense;
        Merge(b1, b0);
        b1.Sense = !b1.Sense;
        b1.Head = b0.Head;
    }

    public static void Or(Block b0, Block b1)
    {
        b0.Sense = !b0.Sense;
        Backpatch(b0, b1.Head);
        b0.Sense = !b0.Sense;
        Merge(b1, b0);
        b1.Head = b0.Head;
    }

    public static void Not(Block b) => b.Sense = !b.Sense;

    /// <summary>finish_parse: variable-offset prologue, then the accept and reject returns.</summary>
    public Block Finish(Block p)
    {
        Backpatch(p, new Block(Op.RET | Op.K, (uint)_snapLength));
        p.Sense = !p.Sense;
        Backpatch(p, new Block(Op.RET | Op.K, 0));
        InsertComputeVlOffsets(p.Head);
        if (_linkType == Dlt.Ppi)
        {
            // PPI: only 802.11 frames (DLT_IEEE802_11, little-endian, in the PPI header) are decoded;
            // the test comes first, before the prologue.
            var dltCheck = Jmp(Op.JEQ, 0x69000000, L(new Stmt(Op.LD | Op.W | Op.ABS, 4)));
            dltCheck.Jt = p.Head;
            dltCheck.Jf = new Block(Op.RET | Op.K, 0);
            return dltCheck;
        }
        return p.Head;
    }

    public Block AcceptAll() => new(Op.RET | Op.K, (uint)_snapLength);

    private static Block Jmp(int op, uint k, List<Stmt> stmts) => new(Op.JMP | op | Op.K, k) { Stmts = stmts };

    // ---- registers

    private int AllocReg()
    {
        for (int n = 0; n < 16; n++)
        {
            if (_regUsed[_curReg]) _curReg = (_curReg + 1) % 16;
            else { _regUsed[_curReg] = true; return _curReg; }
        }
        _chunks.Fail("too many registers needed to evaluate expression");
        return 0;
    }

    private void FreeReg(int n) => _regUsed[n] = false;

    // ---- loads and comparisons

    private static List<Stmt> L(params ReadOnlySpan<Stmt> s) => [.. s];

    /// <summary>Code to put the variable part of an offset in X, or null when there is none.</summary>
    private List<Stmt>? AbsOffsetVarPart(AbsOffset off)
    {
        if (!off.IsVariable) return null;
        if (off.Reg == -1) off.Reg = AllocReg();
        return L(new Stmt(Op.LDX | Op.MEM, (uint)off.Reg));
    }

    private List<Stmt> LoadAbsRelative(AbsOffset abs, uint offset, int size)
    {
        var s = AbsOffsetVarPart(abs);
        if (s != null) { s.Add(new Stmt(Op.LD | Op.IND | size, abs.ConstantPart + offset)); return s; }
        return L(new Stmt(Op.LD | Op.ABS | size, abs.ConstantPart + offset));
    }

    private List<Stmt> LoadA(OffRel rel, uint offset, int size)
    {
        switch (rel)
        {
            case OffRel.Packet: return L(new Stmt(Op.LD | Op.ABS | size, offset));
            case OffRel.LinkHdr: return LoadAbsRelative(_offLinkHdr, offset, size);
            case OffRel.PrevLinkHdr: return LoadAbsRelative(_offPrevLinkHdr, offset, size);
            case OffRel.Llc: return LoadAbsRelative(_offLinkPl, offset, size);
            case OffRel.PrevMplsHdr: return LoadAbsRelative(_offLinkPl, _offNl - 4 + offset, size);
            case OffRel.LinkPl: return LoadAbsRelative(_offLinkPl, _offNl + offset, size);
            case OffRel.LinkPlNoSnap: return LoadAbsRelative(_offLinkPl, _offNlNoSnap + offset, size);
            case OffRel.LinkType: return LoadAbsRelative(_offLinkType, offset, size);
            case OffRel.TranIpv4:
                {
                    var s = LoadXIpHeaderLength();
                    s.Add(new Stmt(Op.LD | Op.IND | size, _offLinkPl.ConstantPart + _offNl + offset));
                    return s;
                }
            default: return LoadAbsRelative(_offLinkPl, _offNl + 40 + offset, size);
        }
    }

    /// <summary>X = IPv4 header length (plus the variable part of the payload offset).</summary>
    private List<Stmt> LoadXIpHeaderLength()
    {
        var s = AbsOffsetVarPart(_offLinkPl);
        if (s != null)
        {
            s.Add(new Stmt(Op.LD | Op.IND | Op.B, _offLinkPl.ConstantPart + _offNl));
            s.Add(new Stmt(Op.ALU | Op.AND | Op.K, 0xf));
            s.Add(new Stmt(Op.ALU | Op.LSH | Op.K, 2));
            s.Add(new Stmt(Op.ALU | Op.ADD | Op.X));
            s.Add(new Stmt(Op.MISC | Op.TAX));
            return s;
        }
        return L(new Stmt(Op.LDX | Op.MSH | Op.B, _offLinkPl.ConstantPart + _offNl));
    }

    private Block Ncmp(OffRel rel, uint offset, int size, uint mask, int jtype, bool reverse, uint v)
    {
        var s = LoadA(rel, offset, size);
        if (mask != 0xffffffff) s.Add(new Stmt(Op.ALU | Op.AND | Op.K, mask));
        var b = Jmp(jtype, v, s);
        if (reverse && jtype is Op.JGT or Op.JGE) Not(b);
        return b;
    }

    private Block Cmp(OffRel rel, uint offset, int size, uint v) => Ncmp(rel, offset, size, 0xffffffff, Op.JEQ, false, v);
    private Block CmpGt(OffRel rel, uint offset, int size, uint v) => Ncmp(rel, offset, size, 0xffffffff, Op.JGT, false, v);
    private Block CmpGe(OffRel rel, uint offset, int size, uint v) => Ncmp(rel, offset, size, 0xffffffff, Op.JGE, false, v);
    private Block CmpLt(OffRel rel, uint offset, int size, uint v) => Ncmp(rel, offset, size, 0xffffffff, Op.JGE, true, v);
    private Block CmpLe(OffRel rel, uint offset, int size, uint v) => Ncmp(rel, offset, size, 0xffffffff, Op.JGT, true, v);
    private Block Mcmp(OffRel rel, uint offset, int size, uint v, uint mask) => Ncmp(rel, offset, size, mask, Op.JEQ, false, v);

    /// <summary>Compares bytes, last word first (gen_bcmp).</summary>
    private Block Bcmp(OffRel rel, uint offset, uint size, byte[] v)
    {
        Block? b = null;
        while (size >= 4)
        {
            int p = (int)size - 4;
            var tmp = Cmp(rel, offset + size - 4, Op.W, (uint)(v[p] << 24 | v[p + 1] << 16 | v[p + 2] << 8 | v[p + 3]));
            if (b != null) And(b, tmp);
            b = tmp;
            size -= 4;
        }
        while (size >= 2)
        {
            int p = (int)size - 2;
            var tmp = Cmp(rel, offset + size - 2, Op.H, (uint)(v[p] << 8 | v[p + 1]));
            if (b != null) And(b, tmp);
            b = tmp;
            size -= 2;
        }
        if (size > 0)
        {
            var tmp = Cmp(rel, offset, Op.B, v[0]);
            if (b != null) And(b, tmp);
            b = tmp;
        }
        return b!;
    }

    /// <summary>A block that is always true or always false (gen_uncond).</summary>
    private static Block Uncond(bool rsense)
    {
        var b = Jmp(Op.JEQ, 0, L(new Stmt(Op.LD | Op.IMM, rsense ? 0u : 1u)));
        return b;
    }

    private static Block True() => Uncond(true);
    private static Block False() => Uncond(false);

    // ---- arithmetic (gen_loadi, gen_load, gen_arth, gen_neg, gen_relation)

    public Arth LoadImmediate(uint v)
    {
        _chunks.Take(ChunkModel.ArthSize);
        int reg = AllocReg();
        return new Arth { S = L(new Stmt(Op.LD | Op.IMM, v), new Stmt(Op.ST, (uint)reg)), Regno = reg };
    }

    public Arth LoadLength()
    {
        _chunks.Take(ChunkModel.ArthSize);
        int reg = AllocReg();
        return new Arth { S = L(new Stmt(Op.LD | Op.LEN), new Stmt(Op.ST, (uint)reg)), Regno = reg };
    }

    private static Stmt XferToX(Arth a) => new(Op.LDX | Op.MEM, (uint)a.Regno);
    private static Stmt XferToA(Arth a) => new(Op.LD | Op.MEM, (uint)a.Regno);

    public Arth Arith(int code, Arth a0, Arth a1)
    {
        if (code == Op.DIV && a1.S.Count > 0 && a1.S[0].Code == (Op.LD | Op.IMM) && a1.S[0].K == 0)
            return FailArth("division by zero", a0);
        if (code == Op.MOD && a1.S.Count > 0 && a1.S[0].Code == (Op.LD | Op.IMM) && a1.S[0].K == 0)
            return FailArth("modulus by zero", a0);
        // gen_arth looks at the first statement only: "x >> 33" is refused, "x >> (1 + 32)" is not.
        if (code is Op.LSH or Op.RSH && a1.S.Count > 0 && a1.S[0].Code == (Op.LD | Op.IMM) && a1.S[0].K > 31)
            return FailArth("shift by more than 31 bits", a0);
        var s0 = XferToX(a1);
        var s1 = XferToA(a0);
        a0.S.AddRange(a1.S);
        a0.S.Add(s0);
        a0.S.Add(s1);
        a0.S.Add(new Stmt(Op.ALU | Op.X | code));
        FreeReg(a0.Regno);
        FreeReg(a1.Regno);
        a0.Regno = AllocReg();
        a0.S.Add(new Stmt(Op.ST, (uint)a0.Regno));
        // libpcap 1.10.3's gen_arth keeps the left operand's protocol checks and drops the right one's:
        // "0 < (0 + ip[31:2])" tests no protocol, "(1 + tcp[4]) != sctp[11]" only sctp. Kept for its verdicts.
        return a0;
    }

    /// <summary><see cref="Fail(string)"/> where an arithmetic value is due: the placeholder is <paramref name="a"/>.</summary>
    private Arth FailArth(string text, Arth a)
    {
        _chunks.Fail(text);
        return a;
    }

    public Arth Neg(Arth a)
    {
        a.S.Add(XferToA(a));
        a.S.Add(new Stmt(Op.ALU | Op.NEG));
        a.S.Add(new Stmt(Op.ST, (uint)a.Regno));
        return a;
    }

    public Block Relation(int code, Arth a0, Arth a1, bool reversed)
    {
        var s0 = XferToX(a1);
        var s1 = XferToA(a0);
        Block b;
        var tail = new List<Stmt> { s0, s1 };
        if (code == Op.JEQ)
        {
            tail.Add(new Stmt(Op.ALU | Op.SUB | Op.X));
            b = new Block(Op.JMP | code | Op.K, 0);
        }
        else b = new Block(Op.JMP | code | Op.X, 0);
        if (reversed) Not(b);
        var stmts = new List<Stmt>(a0.S);
        stmts.AddRange(a1.S);
        stmts.AddRange(tail);
        b.Stmts = stmts;
        FreeReg(a0.Regno);
        FreeReg(a1.Regno);
        Block? tmp;
        if (a0.B != null)
        {
            if (a1.B != null) { And(a0.B, a1.B); tmp = a1.B; }
            else tmp = a0.B;
        }
        else tmp = a1.B;
        if (tmp != null) And(tmp, b);
        return b;
    }

    public Arth Load(int proto, Arth inst, uint size)
    {
        int sz = size switch { 1 => Op.B, 2 => Op.H, 4 => Op.W, _ => -1 };
        if (sz < 0) return FailArth("data size must be 1, 2, or 4", inst);
        int regno = AllocReg();
        FreeReg(inst.Regno);
        List<Stmt> s;
        switch (proto)
        {
            case Q.Radio:
                if (_linkType is not (Dlt.IeeeRadioAvs or Dlt.Ieee80211Radio or Dlt.PrismHeader)) return FailArth("radio information not present in capture", inst);
                s = L(XferToX(inst), new Stmt(Op.LD | Op.IND | sz, 0));
                inst.S.AddRange(s);
                break;
            case Q.Link:
                {
                    var v = AbsOffsetVarPart(_offLinkHdr);
                    if (v != null) { v.Add(XferToA(inst)); v.Add(new Stmt(Op.ALU | Op.ADD | Op.X)); v.Add(new Stmt(Op.MISC | Op.TAX)); s = v; }
                    else s = L(XferToX(inst));
                    s.Add(new Stmt(Op.LD | Op.IND | sz, _offLinkHdr.ConstantPart));
                    inst.S.AddRange(s);
                    break;
                }
            case Q.Ip or Q.Arp or Q.Rarp or Q.Atalk or Q.Decnet or Q.Sca or Q.Lat or Q.Moprc or Q.Mopdl or Q.Ipv6:
                {
                    var v = AbsOffsetVarPart(_offLinkPl);
                    if (v != null) { v.Add(XferToA(inst)); v.Add(new Stmt(Op.ALU | Op.ADD | Op.X)); v.Add(new Stmt(Op.MISC | Op.TAX)); s = v; }
                    else s = L(XferToX(inst));
                    s.Add(new Stmt(Op.LD | Op.IND | sz, _offLinkPl.ConstantPart + _offNl));
                    inst.S.AddRange(s);
                    var b = ProtoAbbrev(proto);
                    if (inst.B != null) And(inst.B, b);
                    inst.B = b;
                    break;
                }
            case Q.Sctp or Q.Tcp or Q.Udp or Q.Icmp or Q.Igmp or Q.Igrp or Q.Pim or Q.Vrrp or Q.Carp:
                {
                    s = LoadXIpHeaderLength();
                    s.Add(XferToA(inst));
                    s.Add(new Stmt(Op.ALU | Op.ADD | Op.X));
                    s.Add(new Stmt(Op.MISC | Op.TAX));
                    s.Add(new Stmt(Op.LD | Op.IND | sz, _offLinkPl.ConstantPart + _offNl));
                    inst.S.AddRange(s);
                    var pa = ProtoAbbrev(proto);
                    var b = IpFrag();
                    And(pa, b);
                    if (inst.B != null) And(inst.B, b);
                    And(ProtoAbbrev(Q.Ip), b);
                    inst.B = b;
                    break;
                }
            case Q.Icmpv6:
                {
                    var b = ProtoAbbrev(Q.Ipv6);
                    if (inst.B != null) And(inst.B, b);
                    inst.B = b;
                    b = Cmp(OffRel.LinkPl, 6, Op.B, 58);
                    And(inst.B, b);
                    inst.B = b;
                    var v = AbsOffsetVarPart(_offLinkPl);
                    if (v != null) { v.Add(XferToA(inst)); v.Add(new Stmt(Op.ALU | Op.ADD | Op.X)); v.Add(new Stmt(Op.MISC | Op.TAX)); s = v; }
                    else s = L(XferToX(inst));
                    s.Add(new Stmt(Op.LD | Op.IND | sz, _offLinkPl.ConstantPart + _offNl + 40));
                    inst.S.AddRange(s);
                    break;
                }
            default:
                return FailArth("unsupported index operation", inst);
        }
        inst.Regno = regno;
        inst.S.Add(new Stmt(Op.ST, (uint)regno));
        return inst;
    }

    // ---- simple primitives

    public Block Less(uint n)
    {
        var b = Jmp(Op.JGT, n, L(new Stmt(Op.LD | Op.LEN)));
        Not(b);
        return b;
    }

    public Block Greater(uint n) => Jmp(Op.JGE, n, L(new Stmt(Op.LD | Op.LEN)));

    public Block ByteOp(Tok op, uint idx, uint val)
    {
        switch (op)
        {
            case Tok.Eq: return Cmp(OffRel.LinkHdr, idx, Op.B, val);
            case Tok.Lt: return CmpLt(OffRel.LinkHdr, idx, Op.B, val);
            case Tok.Gt: return CmpGt(OffRel.LinkHdr, idx, Op.B, val);
        }
        // libpcap emits the mask operation without loading the byte first; kept for equal verdicts.
        var s = new Stmt(Op.ALU | (op == Tok.Pipe ? Op.OR : Op.AND) | Op.K, val);
        var b = Jmp(Op.JEQ, 0, L(s));
        Not(b);
        return b;
    }

    private Block IpFrag()
    {
        var b = new Block(Op.JMP | Op.JSET | Op.K, 0x1fff) { Stmts = LoadA(OffRel.LinkPl, 6, Op.H) };
        Not(b);
        return b;
    }
}
