using System;
using System.Collections.Generic;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Compiler;

/// <summary>802.11 frame type, subtype and direction names (libpcap's grammar tables).</summary>
internal static class Wlan
{
    public static readonly (string, int)[] Types = [("mgt", 0x00), ("management", 0x00), ("ctl", 0x04), ("control", 0x04), ("data", 0x08)];

    private static readonly (string, int)[] MgtSubtypes =
    [
        ("assocreq", 0x00), ("assoc-req", 0x00), ("assocresp", 0x10), ("assoc-resp", 0x10), ("reassocreq", 0x20), ("reassoc-req", 0x20),
        ("reassocresp", 0x30), ("reassoc-resp", 0x30), ("probereq", 0x40), ("probe-req", 0x40), ("proberesp", 0x50), ("probe-resp", 0x50),
        ("beacon", 0x80), ("atim", 0x90), ("disassoc", 0xa0), ("disassociation", 0xa0), ("auth", 0xb0), ("authentication", 0xb0),
        ("deauth", 0xc0), ("deauthentication", 0xc0),
    ];

    // libpcap 1.10.3 names no block-ack subtypes.
    private static readonly (string, int)[] CtlSubtypes =
        [("ps-poll", 0xa0), ("rts", 0xb0), ("cts", 0xc0), ("ack", 0xd0), ("cf-end", 0xe0), ("cf-end-ack", 0xf0)];

    private static readonly (string, int)[] DataSubtypes =
    [
        ("data", 0x00), ("data-cf-ack", 0x10), ("data-cf-poll", 0x20), ("data-cf-ack-poll", 0x30), ("null", 0x40), ("cf-ack", 0x50),
        ("cf-poll", 0x60), ("cf-ack-poll", 0x70), ("qos-data", 0x80), ("qos-data-cf-ack", 0x90), ("qos-data-cf-poll", 0xa0),
        ("qos-data-cf-ack-poll", 0xb0), ("qos", 0xc0), ("qos-cf-poll", 0xe0), ("qos-cf-ack-poll", 0xf0),
    ];

    public static readonly ((string, int)[] Table, int Type)[] TypeSubtypes = [(MgtSubtypes, 0x00), (CtlSubtypes, 0x04), (DataSubtypes, 0x08)];

    public static int Lookup((string, int)[] table, string name)
    {
        foreach (var (n, v) in table)
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) return v;
        return -1;
    }
}

/// <summary>802.11 primitives and the code that finds the variable-length 802.11 and radiotap headers.</summary>
internal sealed partial class CodeGenerator
{
    // ---- 802.11 names (grammar.y's lookups: an unknown name is its error, the number then 0)

    public uint WlanTypeNumber(string name)
    {
        int v = Wlan.Lookup(Wlan.Types, name);
        return v < 0 ? FailNumber($"unknown 802.11 type name \"{name}\"") : (uint)v;
    }

    public uint WlanSubtypeNumber(uint type, string name)
    {
        foreach (var (table, t) in Wlan.TypeSubtypes)
        {
            if (t != type) continue;
            int v = Wlan.Lookup(table, name);
            return v < 0 ? FailNumber($"unknown 802.11 subtype name \"{name}\"") : (uint)v;
        }
        return FailNumber("unknown 802.11 type");
    }

    public uint WlanTypeSubtypeNumber(string name)
    {
        foreach (var (table, t) in Wlan.TypeSubtypes)
        {
            int v = Wlan.Lookup(table, name);
            if (v >= 0) return (uint)(v | t);
        }
        return FailNumber("unknown 802.11 type name");
    }

    public uint WlanDirectionNumber(string name) => name.ToLowerInvariant() switch
    {
        "nods" => 0, "tods" => 1, "fromds" => 2, "dstods" => 3,
        _ => FailNumber("unknown 802.11 direction"),
    };

    /// <summary>802.11 link types whose type and direction fields libpcap tests (not PPI).</summary>
    private bool IsWlanHeader => _linkType is Dlt.Ieee80211 or Dlt.PrismHeader or Dlt.IeeeRadioAvs or Dlt.Ieee80211Radio;

    public Block WlanType(uint type, uint mask)
    {
        if (!IsWlanHeader) return Fail("802.11 link-layer types supported only on 802.11");
        return Mcmp(OffRel.LinkHdr, 0, Op.B, type, mask);
    }

    public Block WlanDir(uint dir)
    {
        if (!IsWlanHeader) return Fail("frame direction supported only with 802.11 headers");
        return Mcmp(OffRel.LinkHdr, 1, Op.B, dir, 0x03);
    }

    private Block Jset(OffRel rel, uint offset, uint bits, bool negate = false)
    {
        var b = new Block(Op.JMP | Op.JSET | Op.K, bits) { Stmts = LoadA(rel, offset, Op.B) };
        if (negate) Not(b);
        return b;
    }

    /// <summary>gen_check_802_11_data_frame: type bits say "data".</summary>
    private Block CheckWlanDataFrame()
    {
        var b0 = Jset(OffRel.LinkHdr, 0, 0x08);
        var b1 = Jset(OffRel.LinkHdr, 0, 0x04, negate: true);
        And(b1, b0);
        return b0;
    }

    private Block WlanHostOp(byte[] e, int dir)
    {
        Block b0, b1, b2;
        switch (dir)
        {
            case Q.Src:
                b1 = Jset(OffRel.LinkHdr, 1, 0x01);
                b0 = Bcmp(OffRel.LinkHdr, 24, 6, e);
                And(b1, b0);
                b2 = Jset(OffRel.LinkHdr, 1, 0x01, negate: true);
                b1 = Bcmp(OffRel.LinkHdr, 16, 6, e);
                And(b2, b1);
                Or(b1, b0);
                b1 = Jset(OffRel.LinkHdr, 1, 0x02);
                And(b1, b0);
                b2 = Jset(OffRel.LinkHdr, 1, 0x02, negate: true);
                b1 = Bcmp(OffRel.LinkHdr, 10, 6, e);
                And(b2, b1);
                Or(b1, b0);
                b1 = Jset(OffRel.LinkHdr, 0, 0x08);
                And(b1, b0);
                b2 = Jset(OffRel.LinkHdr, 0, 0x08, negate: true);
                b1 = Bcmp(OffRel.LinkHdr, 10, 6, e);
                And(b2, b1);
                Or(b1, b0);
                b1 = Jset(OffRel.LinkHdr, 0, 0x04, negate: true);
                And(b1, b0);
                return b0;
            case Q.Dst:
                b1 = Jset(OffRel.LinkHdr, 1, 0x01);
                b0 = Bcmp(OffRel.LinkHdr, 16, 6, e);
                And(b1, b0);
                b2 = Jset(OffRel.LinkHdr, 1, 0x01, negate: true);
                b1 = Bcmp(OffRel.LinkHdr, 4, 6, e);
                And(b2, b1);
                Or(b1, b0);
                b1 = Jset(OffRel.LinkHdr, 0, 0x08);
                And(b1, b0);
                b2 = Jset(OffRel.LinkHdr, 0, 0x08, negate: true);
                b1 = Bcmp(OffRel.LinkHdr, 4, 6, e);
                And(b2, b1);
                Or(b1, b0);
                b1 = Jset(OffRel.LinkHdr, 0, 0x04, negate: true);
                And(b1, b0);
                return b0;
            case Q.Ra:
                b0 = Jset(OffRel.LinkHdr, 0, 0x08);
                b1 = Bcmp(OffRel.LinkHdr, 4, 6, e);
                And(b0, b1);
                return b1;
            case Q.Ta:
                {
                    b2 = NotCtsOrAck();
                    var d = Jset(OffRel.LinkHdr, 0, 0x08);
                    And(d, b2);
                    b1 = Bcmp(OffRel.LinkHdr, 10, 6, e);
                    And(b2, b1);
                    return b1;
                }
            case Q.Addr1: return Bcmp(OffRel.LinkHdr, 4, 6, e);
            case Q.Addr2:
                b2 = NotCtsOrAck();
                b1 = Bcmp(OffRel.LinkHdr, 10, 6, e);
                And(b2, b1);
                return b1;
            case Q.Addr3: return Bcmp(OffRel.LinkHdr, 16, 6, e);
            case Q.Addr4: return Bcmp(OffRel.LinkHdr, 24, 6, e);
            case Q.And: b0 = WlanHostOp(e, Q.Src); b1 = WlanHostOp(e, Q.Dst); And(b0, b1); return b1;
            default: b0 = WlanHostOp(e, Q.Src); b1 = WlanHostOp(e, Q.Dst); Or(b0, b1); return b1;
        }
    }

    /// <summary>Not a CTS or ACK control frame (they have no second address), as gen_wlanhostop tests it.</summary>
    private Block NotCtsOrAck()
    {
        var b0 = Mcmp(OffRel.LinkHdr, 0, Op.B, 0x04, 0x0c);
        Not(b0);
        var b1 = Mcmp(OffRel.LinkHdr, 0, Op.B, 0xc0, 0xf0);
        Not(b1);
        var b2 = Mcmp(OffRel.LinkHdr, 0, Op.B, 0xd0, 0xf0);
        Not(b2);
        And(b1, b2);
        Or(b0, b2);
        return b2;
    }

    private Block WlanMulticast()
    {
        var b1 = Jset(OffRel.LinkHdr, 1, 0x01);
        var b0 = MacMulticast(16);
        And(b1, b0);
        var b2 = Jset(OffRel.LinkHdr, 1, 0x01, negate: true);
        b1 = MacMulticast(4);
        And(b2, b1);
        Or(b1, b0);
        b1 = Jset(OffRel.LinkHdr, 0, 0x08);
        And(b1, b0);
        b2 = Jset(OffRel.LinkHdr, 0, 0x08, negate: true);
        b1 = MacMulticast(4);
        And(b2, b1);
        Or(b1, b0);
        b1 = Jset(OffRel.LinkHdr, 0, 0x04, negate: true);
        And(b1, b0);
        return b0;
    }

    /// <summary>
    /// insert_compute_vloffsets: statements put before the program that compute the variable offsets it
    /// uses: the radio header's length (radiotap, PPI, AVS, or Prism-or-AVS), the 802.11 header's length
    /// (with QoS and radiotap's Atheros padding), the pflog header's length.
    /// </summary>
    private void InsertComputeVlOffsets(Block root)
    {
        int outer = _outerLinkType;
        bool wlan = outer is Dlt.Ieee80211 or Dlt.PrismHeader or Dlt.IeeeRadioAvs or Dlt.Ieee80211Radio or Dlt.Ppi;
        if (outer == Dlt.PrismHeader) NoOptimize = true; // libpcap turns its optimiser off for every Prism program
        if (outer == Dlt.Pflog)
        {
            if (_offOuterLinkPl.Reg == -1) return;
            uint r = (uint)_offOuterLinkPl.Reg;
            root.Stmts.InsertRange(0, L(new Stmt(Op.LD | Op.B | Op.ABS, 0), new Stmt(Op.ALU | Op.ADD | Op.K, 3),
                new Stmt(Op.ALU | Op.AND | Op.K, 0xfffffffc), new Stmt(Op.ST, r), new Stmt(Op.MISC | Op.TAX)));
            return;
        }
        if (!wlan) return;
        if (_offOuterLinkPl.Reg != -1 && _offOuterLinkHdr.IsVariable && _offOuterLinkHdr.Reg == -1)
            _offOuterLinkHdr.Reg = AllocReg();
        // The rest of the program starts in a copy of the root block, so the prologue can jump to it.
        var rest = new Block(root.JumpCode, root.K) { Stmts = root.Stmts, Jt = root.Jt, Jf = root.Jf };
        Block start = _offOuterLinkPl.Reg == -1 ? rest : WlanHeaderLength(rest);
        if (_offOuterLinkHdr.Reg == -1)
        {
            if (start != rest) start.Stmts.InsertRange(0, L(new Stmt(Op.LDX | Op.IMM, _offOuterLinkHdr.ConstantPart)));
        }
        else
        {
            uint hr = (uint)_offOuterLinkHdr.Reg;
            var store = L(new Stmt(Op.ST, hr), new Stmt(Op.MISC | Op.TAX));
            switch (outer)
            {
                case Dlt.Ieee80211Radio: case Dlt.Ppi:
                    // Little-endian 16-bit length at offset 2.
                    start.Stmts.InsertRange(0, L(new Stmt(Op.LD | Op.B | Op.ABS, 3), new Stmt(Op.ALU | Op.LSH | Op.K, 8), new Stmt(Op.MISC | Op.TAX),
                        new Stmt(Op.LD | Op.B | Op.ABS, 2), new Stmt(Op.ALU | Op.OR | Op.X), new Stmt(Op.ST, hr), new Stmt(Op.MISC | Op.TAX)));
                    break;
                case Dlt.IeeeRadioAvs:
                    start.Stmts.InsertRange(0, L(new Stmt(Op.LD | Op.W | Op.ABS, 4), new Stmt(Op.ST, hr), new Stmt(Op.MISC | Op.TAX)));
                    break;
                default:
                    {
                        // Prism: an AVS header (its cookie in the first word) gives its own length, else 144 bytes.
                        var join = new Block(Op.JMP | Op.JA, 0) { Stmts = store, Jt = start, Jf = start };
                        if (start != rest) { join.Stmts.AddRange(start.Stmts); join.JumpCode = start.JumpCode; join.K = start.K; join.Jt = start.Jt; join.Jf = start.Jf; }
                        var avs = new Block(Op.JMP | Op.JA, 0) { Stmts = L(new Stmt(Op.LD | Op.W | Op.ABS, 4)), Jt = join, Jf = join };
                        var prism = new Block(Op.JMP | Op.JA, 0) { Stmts = L(new Stmt(Op.LD | Op.W | Op.IMM, 144)), Jt = join, Jf = join };
                        start = new Block(Op.JMP | Op.JEQ | Op.K, 0x80211000)
                        {
                            Stmts = L(new Stmt(Op.LD | Op.W | Op.ABS, 0), new Stmt(Op.ALU | Op.AND | Op.K, 0xfffff000)),
                            Jt = avs, Jf = prism,
                        };
                        break;
                    }
            }
        }
        if (start == rest) return;
        // The root object stays the entry: it becomes the first prologue block.
        root.Stmts = start.Stmts;
        root.JumpCode = start.JumpCode;
        root.K = start.K;
        root.Jt = start.Jt;
        root.Jf = start.Jf;
    }

    /// <summary>gen_load_802_11_header_len: from X (the radio header's length), the 802.11 header's length
    /// into the payload register, then on to <paramref name="rest"/>. Returns the first block.</summary>
    private Block WlanHeaderLength(Block rest)
    {
        NoOptimize = true; // as libpcap, which turns its optimiser off once this code exists
        uint reg = (uint)_offOuterLinkPl.Reg;
        Block after = rest;
        if (_outerLinkType == Dlt.Ieee80211Radio)
        {
            var roundUp = new Block(Op.JMP | Op.JA, 0)
            {
                Stmts = L(new Stmt(Op.LD | Op.MEM, reg), new Stmt(Op.ALU | Op.ADD | Op.K, 3), new Stmt(Op.ALU | Op.AND | Op.K, 0xfffffffc), new Stmt(Op.ST, reg)),
                Jt = rest, Jf = rest,
            };
            var padAfterTsft = new Block(Op.JMP | Op.JSET | Op.K, 0x20) { Stmts = L(new Stmt(Op.LD | Op.B | Op.ABS, 16)), Jt = roundUp, Jf = rest };
            var padNoTsft = new Block(Op.JMP | Op.JSET | Op.K, 0x20) { Stmts = L(new Stmt(Op.LD | Op.B | Op.ABS, 8)), Jt = roundUp, Jf = rest };
            var tsft = new Block(Op.JMP | Op.JSET | Op.K, 0x01000000) { Jt = padAfterTsft, Jf = padNoTsft };
            var ext = new Block(Op.JMP | Op.JSET | Op.K, 0x80) { Jt = rest, Jf = tsft };
            var flags = new Block(Op.JMP | Op.JSET | Op.K, 0x02000000) { Stmts = L(new Stmt(Op.LD | Op.W | Op.ABS, 4)), Jt = ext, Jf = rest };
            after = flags;
        }
        var qosAdd = new Block(Op.JMP | Op.JA, 0)
        {
            Stmts = L(new Stmt(Op.LD | Op.MEM, reg), new Stmt(Op.ALU | Op.ADD | Op.K, 2), new Stmt(Op.ST, reg)),
            Jt = after, Jf = after,
        };
        var qos = new Block(Op.JMP | Op.JSET | Op.K, 0x80) { Jt = qosAdd, Jf = after };
        var data2 = new Block(Op.JMP | Op.JSET | Op.K, 0x04) { Jt = rest, Jf = qos };
        return new Block(Op.JMP | Op.JSET | Op.K, 0x08)
        {
            Stmts = L(new Stmt(Op.MISC | Op.TXA), new Stmt(Op.ALU | Op.ADD | Op.K, 24), new Stmt(Op.ST, reg), new Stmt(Op.LD | Op.IND | Op.B, 0)),
            Jt = data2, Jf = rest,
        };
    }
}
