using Pcap.Engine.Handles;

namespace Pcap.Engine.Compiler;

/// <summary>Geneve encapsulation and protochain: the two primitives after which libpcap turns its optimiser off.</summary>
internal sealed partial class CodeGenerator
{
    /// <summary>libpcap skips optimisation (and its "rejects all packets" check) once geneve or protochain is used.</summary>
    public bool NoOptimize { get; private set; }

    private bool _isGeneve;

    /// <summary>Iterations of protochain's header walk: libpcap loops with a backward jump, which classic BPF
    /// (and bpf_validate) forbids, so the walk is unrolled this many headers deep.</summary>
    private const int ProtoChainDepth = 8;

    private Block? PrevLinkHdrCheck()
    {
        if (!_isGeneve)
        {
            // An Ethernet header inside SunATM LANE: not an LE control frame (0xff00 in its first two bytes).
            if (_prevLinkType != Dlt.SunAtm) return null;
            var b = Cmp(OffRel.PrevLinkHdr, SunAtmPayload, Op.H, 0xff00);
            Not(b);
            return b;
        }
        // With a Geneve payload, there is an Ethernet header only when header and payload offsets differ.
        var b0 = new Block(Op.JMP | Op.JEQ | Op.X, 0)
        {
            Stmts = L(new Stmt(Op.LD | Op.MEM, (uint)_offLinkHdr.Reg), new Stmt(Op.LDX | Op.MEM, (uint)_offLinkPl.Reg)),
        };
        Not(b0);
        return b0;
    }

    private Block GeneveCheck(bool v6, uint vni, bool hasVni)
    {
        var b0 = v6 ? Port6(6081, IpProtoUdp, Q.Dst) : Port(6081, IpProtoUdp, Q.Dst);
        var rel = v6 ? OffRel.TranIpv6 : OffRel.TranIpv4;
        var b1 = Mcmp(rel, 8, Op.B, 0, 0xc0);
        And(b0, b1);
        b0 = b1;
        if (hasVni)
        {
            if (vni > 0xffffff) return Fail($"Geneve VNI {vni} greater than maximum {0xffffff}");
            b1 = Mcmp(rel, 12, Op.W, vni << 8, 0xffffff00);
            And(b0, b1);
            b0 = b1;
        }
        return b0;
    }

    public Block Geneve(uint vni, bool hasVni)
    {
        // IPv4: A = X = IP header length, through an always-true test.
        var b4 = GeneveCheck(false, vni, hasVni);
        var s4 = LoadXIpHeaderLength();
        s4.Add(new Stmt(Op.MISC | Op.TXA));
        var t4 = new Block(Op.JMP | Op.JEQ | Op.X, 0) { Stmts = s4 };
        And(b4, t4);
        // IPv6: A = X = 40 (plus the variable part of the payload offset).
        var b6 = GeneveCheck(true, vni, hasVni);
        var s6 = AbsOffsetVarPart(_offLinkPl);
        if (s6 != null) { s6.Add(new Stmt(Op.LD | Op.IMM, 40)); s6.Add(new Stmt(Op.ALU | Op.ADD | Op.X)); }
        else s6 = L(new Stmt(Op.LD | Op.IMM, 40));
        s6.Add(new Stmt(Op.MISC | Op.TAX));
        var t6 = new Block(Op.JMP | Op.JEQ | Op.X, 0) { Stmts = s6 };
        And(b6, t6);
        Or(t4, t6);

        // Offsets of the Geneve payload, computed when the checks pass.
        var s = L(new Stmt(Op.ALU | Op.ADD | Op.K, _offLinkPl.ConstantPart + _offNl + 8), new Stmt(Op.MISC | Op.TAX), new Stmt(Op.ALU | Op.ADD | Op.K, 2));
        _offLinkType = new AbsOffset { IsVariable = true, ConstantPart = 0, Reg = AllocReg() };
        s.Add(new Stmt(Op.ST, (uint)_offLinkType.Reg));
        s.Add(new Stmt(Op.LD | Op.IND | Op.B, 0));
        s.Add(new Stmt(Op.ALU | Op.AND | Op.K, 0x3f));
        s.Add(new Stmt(Op.ALU | Op.MUL | Op.K, 4));
        s.Add(new Stmt(Op.ALU | Op.ADD | Op.K, 8));
        s.Add(new Stmt(Op.ALU | Op.ADD | Op.X));
        _prevLinkType = _linkType;
        _offPrevLinkHdr = _offLinkHdr;
        _linkType = Dlt.En10Mb;
        _offLinkHdr = new AbsOffset { IsVariable = true, ConstantPart = 0, Reg = AllocReg() };
        s.Add(new Stmt(Op.ST, (uint)_offLinkHdr.Reg));
        NoOptimize = true;
        s.Add(new Stmt(Op.LD | Op.IND | Op.H, 2));
        s.Add(new Stmt(Op.LDX | Op.MEM, (uint)_offLinkHdr.Reg));
        var head = new Block(Op.JMP | Op.JEQ | Op.K, 0x6558) { Stmts = s };
        var teb = new Block(Op.JMP | Op.JA, 0)
        {
            Stmts = L(new Stmt(Op.MISC | Op.TXA), new Stmt(Op.ALU | Op.ADD | Op.K, 12), new Stmt(Op.ST, (uint)_offLinkType.Reg),
                      new Stmt(Op.ALU | Op.ADD | Op.K, 2), new Stmt(Op.MISC | Op.TAX)),
        };
        _offLinkPl = new AbsOffset { IsVariable = true, ConstantPart = 0, Reg = AllocReg() };
        var tail = True();
        tail.Stmts.Insert(0, new Stmt(Op.STX, (uint)_offLinkPl.Reg));
        head.Jt = teb;
        head.Jf = tail;
        teb.Jt = teb.Jf = tail;
        tail.Head = head;
        _offNl = 0;
        And(t6, tail);
        _isGeneve = true;
        return tail;
    }

    private Block ProtoChain(uint v, int proto)
    {
        int reg2 = AllocReg();
        switch (proto)
        {
            case Q.Ip: case Q.Ipv6: break;
            case Q.Default:
                {
                    FreeReg(reg2);
                    var b0 = ProtoChain(v, Q.Ip);
                    var b = ProtoChain(v, Q.Ipv6);
                    Or(b0, b);
                    return b;
                }
            default: return Fail("bad protocol applied for 'protochain'");
        }
        if (_offLinkPl.IsVariable) return Fail("'protochain' not supported with variable length headers");
        NoOptimize = true;
        uint nl = _offLinkPl.ConstantPart + _offNl;
        var link = LinkType(proto == Q.Ip ? EtherTypeIp : EtherTypeIpv6);
        var start = new Block(Op.JMP | Op.JA, 0)
        {
            Stmts = proto == Q.Ip
                ? L(new Stmt(Op.LD | Op.ABS | Op.B, nl + 9), new Stmt(Op.LDX | Op.MSH | Op.B, nl))
                : L(new Stmt(Op.LD | Op.ABS | Op.B, nl + 6), new Stmt(Op.LDX | Op.IMM, 40)),
        };
        // The final test: is the header where the walk stopped the one asked for?
        var final = new Block(Op.JMP | Op.JEQ | Op.K, v);
        Block prev = start;
        for (int i = 0; i < ProtoChainDepth; i++)
        {
            var again = new Block(Op.JMP | Op.JEQ | Op.K, v) { Jt = final };
            prev.Jt = prev.Jf = again;
            var none = new Block(Op.JMP | Op.JEQ | Op.K, 59) { Jt = final };
            again.Jf = none;
            var ah = new Block(Op.JMP | Op.JEQ | Op.K, 51) { Jf = final };
            // The AH step sets X from the AH length alone, as libpcap's walk does (its X+1 detour folded
            // into the load offset).
            var ahStep = new Block(Op.JMP | Op.JA, 0)
            {
                Stmts = L(new Stmt(Op.LD | Op.IND | Op.B, nl), new Stmt(Op.ST, (uint)reg2), new Stmt(Op.LD | Op.IND | Op.B, nl + 1),
                          new Stmt(Op.ALU | Op.ADD | Op.K, 2), new Stmt(Op.ALU | Op.MUL | Op.K, 4),
                          new Stmt(Op.MISC | Op.TAX), new Stmt(Op.LD | Op.MEM, (uint)reg2)),
            };
            ah.Jt = ahStep;
            if (proto == Q.Ipv6)
            {
                var advance = new Block(Op.JMP | Op.JA, 0)
                {
                    Stmts = L(new Stmt(Op.LD | Op.IND | Op.B, nl), new Stmt(Op.ST, (uint)reg2), new Stmt(Op.LD | Op.IND | Op.B, nl + 1),
                              new Stmt(Op.ALU | Op.ADD | Op.K, 1), new Stmt(Op.ALU | Op.MUL | Op.K, 8), new Stmt(Op.ALU | Op.ADD | Op.X),
                              new Stmt(Op.MISC | Op.TAX), new Stmt(Op.LD | Op.MEM, (uint)reg2)),
                };
                Block chainFrom = none;
                foreach (uint ext in new uint[] { 0, 60, 43, 44 })
                {
                    var t = new Block(Op.JMP | Op.JEQ | Op.K, ext) { Jt = advance };
                    chainFrom.Jf = t;
                    chainFrom = t;
                }
                chainFrom.Jf = ah;
                var next = new Block(Op.JMP | Op.JA, 0);
                advance.Jt = advance.Jf = next;
                ahStep.Jt = ahStep.Jf = next;
                prev = next;
            }
            else
            {
                none.Jf = ah;
                var next = new Block(Op.JMP | Op.JA, 0);
                ahStep.Jt = ahStep.Jf = next;
                prev = next;
            }
        }
        // Deeper chains: libpcap's loop walks on, almost always off the end of the packet, where a load
        // fails and the whole filter returns 0; a load that always fails does the same here.
        var exhausted = new Block(Op.JMP | Op.JA, 0) { Stmts = L(new Stmt(Op.LD | Op.ABS | Op.W, 0xffffffff)), Jt = final, Jf = final };
        prev.Jt = prev.Jf = exhausted;
        final.Head = start;
        FreeReg(reg2);
        And(link, final);
        return final;
    }
}
