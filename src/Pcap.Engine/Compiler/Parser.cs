using System.Collections.Generic;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Compiler;

/// <summary>
/// Recursive descent over libpcap's grammar.y: the same language, precedence, qualifier carry-over
/// and order of semantic actions (each primitive's code is generated as soon as it is recognised,
/// as bison's reductions do).
/// </summary>
internal sealed class Parser
{
    private readonly List<Token> tokens;
    private readonly CodeGenerator gen;
    private int _pos;

    /// <summary>For each '(' token, its ')' (or -1); for each token, where the run of '(' (or ')') starting there ends.</summary>
    private readonly int[] _match, _lparenRunEnd, _rparenRunEnd;

    /// <summary>
    /// Symbols bison would hold on its stack for the constructs open around the current token, besides its
    /// start state and the empty prog prefix: libpcap's parser stack holds 10,000 at most (YYMAXDEPTH), deep
    /// nesting fails with "memory exhausted" at the depth where libpcap's does.
    /// </summary>
    private int _depth;
    private const int BisonMaxDepth = 10000, BisonBase = 2;

    public Parser(List<Token> tokens, CodeGenerator gen)
    {
        this.tokens = tokens;
        this.gen = gen;
        int n = tokens.Count;
        _match = new int[n];
        _lparenRunEnd = new int[n + 1];
        _rparenRunEnd = new int[n + 1];
        var open = new Stack<int>();
        for (int i = 0; i < n; i++)
        {
            _match[i] = -1;
            if (tokens[i].Kind == Tok.LParen) open.Push(i);
            else if (tokens[i].Kind == Tok.RParen && open.Count > 0) _match[open.Pop()] = i;
            else if (tokens[i].Kind is Tok.End or Tok.Error) break;
        }
        _booleans = new int[n + 1];
        for (int i = 0; i < n; i++) _booleans[i + 1] = _booleans[i] + (ArithmeticToken(tokens[i].Kind) ? 0 : 1);
        _lparenRunEnd[n] = _rparenRunEnd[n] = n;
        for (int i = n - 1; i >= 0; i--)
        {
            _lparenRunEnd[i] = tokens[i].Kind == Tok.LParen ? _lparenRunEnd[i + 1] : i;
            _rparenRunEnd[i] = tokens[i].Kind == Tok.RParen ? _rparenRunEnd[i + 1] : i;
        }
    }

    private PcapException Exhausted() => new(_scanError ?? "can't parse filter expression: memory exhausted");

    /// <summary>Opens a construct that keeps <paramref name="symbols"/> on bison's stack while its inside is parsed.</summary>
    private void Open(int symbols) => _depth += symbols;

    private void Close(int symbols) => _depth -= symbols;

    private Token Cur { get { Lookahead(); return tokens[_pos]; } }

    private Tok Kind(int ahead = 0)
    {
        if (ahead == 0) Lookahead();
        return tokens[System.Math.Min(_pos + ahead, tokens.Count - 1)].Kind;
    }

    /// <summary>Tokens up to here have been read by bison's scanner (its one token of lookahead included).</summary>
    private int _scanned;

    /// <summary>
    /// The token at the current position becomes bison's lookahead: the scanner has read it, and copied the
    /// text of a name or address into gencode's memory (sdup), before the parser decides anything on it.
    /// </summary>
    private void Lookahead()
    {
        while (_scanned <= _pos && _scanned < tokens.Count)
        {
            int at = _scanned++;
            var t = tokens[at];
            // The scanner sets its own errors (a bad number or address) as it reads the token; the parser
            // fails on the token later (see SyntaxError).
            if (t.Kind == Tok.Error && t.Proto == 1) _scanError ??= t.Text;
            if (t.Kind is Tok.Id or Tok.Hid or Tok.Hid6 or Tok.Eid or Tok.Aid && !ChunkModel.TryCharge(t.Text.Length + 1))
            {
                // grammar.y checks every copied token but the mask of "HID mask HID": that one arrives as
                // NULL and gen_mcode takes it for a mask length of 0 (its error text, if any, wins).
                if (t.Kind == Tok.Hid && at >= 2 && tokens[at - 1].Kind == Tok.Netmask && tokens[at - 2].Kind == Tok.Hid) _lostMask = at;
                else
                {
                    // The scanner sets "out of memory" and hands over NULL; the rule that uses the token aborts
                    // (a gencode error from a reduction before it wins, as for other scanner errors).
                    _scanError ??= "out of memory";
                    if (_lostToken < 0) _lostToken = at;
                }
            }
        }
    }

    /// <summary>The mask token libpcap's allocator could not copy (see <see cref="Lookahead"/>), or -1.</summary>
    private int _lostMask = -1;

    /// <summary>The first other token libpcap's allocator could not copy, or -1.</summary>
    private int _lostToken = -1;

    /// <summary>
    /// bison's "syntax error" (and "memory exhausted") set the error text only if nothing set it before: an error
    /// the scanner reported while reading its lookahead wins over them (gencode's errors, raised at reductions
    /// bison makes before it looks at a bad lookahead, win over it).
    /// </summary>
    private PcapException SyntaxError() => new(_scanError ?? "can't parse filter expression: syntax error");

    private string? _scanError;

    /// <summary>An error grammar.y's actions set with bpf_set_error: like bison's, it loses to the scanner's.</summary>
    private PcapException GrammarError(string text) => new(_scanError ?? text);

    private Token Take()
    {
        Lookahead();
        var t = tokens[_pos];
        if (t.Kind == Tok.Error) throw t.Proto == 1 ? new PcapException(t.Text) : SyntaxError();
        if (_pos == _lostToken) throw new PcapException(_scanError!);
        // A closing token lands on top of what it closes: one symbol more than a token that starts something.
        if (BisonBase + _depth + (t.Kind is Tok.RParen or Tok.RBracket ? 2 : 1) >= BisonMaxDepth) throw Exhausted();
        if (t.Kind != Tok.End) _pos++;
        return t;
    }

    private void Expect(Tok k)
    {
        if (Cur.Kind != k) { Take(); throw SyntaxError(); }
        Take();
    }

    /// <summary>prog: null | null expr. Returns null for the empty program.</summary>
    public Block? ParseProgram()
    {
        if (Kind() == Tok.End) return null;
        var (b, _) = ParseExpr(Qual.Err);
        if (Kind() != Tok.End) { Take(); throw SyntaxError(); }
        return b;
    }

    private (Block, Qual) ParseExpr(Qual carried)
    {
        var (b, q) = ParseTerm(carried);
        while (Kind() is Tok.And or Tok.Or)
        {
            bool and = Take().Kind == Tok.And;
            Open(2);
            var (b2, q2) = IsIdStart(_pos) ? ParseId(q) : ParseTerm(q);
            Close(2);
            if (and) CodeGenerator.And(b, b2); else CodeGenerator.Or(b, b2);
            b = b2;
            q = q2;
        }
        return (b, q);
    }

    private static bool IsArithOp(Tok k) => k is Tok.Plus or Tok.Minus or Tok.Star or Tok.Slash or Tok.Percent or Tok.Amp
        or Tok.Pipe or Tok.Caret or Tok.Lsh or Tok.Rsh or Tok.Gt or Tok.Lt or Tok.Eq or Tok.Geq or Tok.Leq or Tok.Neq;

    private int MatchingParen(int open) => open < _match.Length ? _match[open] : -1;

    /// <summary>After "( arithmetic )" bison reads the next token; if the scanner fails on it, its error comes first.</summary>
    private static bool ArithOrScanError(Tok k) => IsArithOp(k) || k == Tok.Error;

    /// <summary>Tokens before index i that cannot be part of arithmetic (relations, and/or/not, qualifiers...).</summary>
    private int[] _booleans = null!;

    /// <summary>"( ... ) op" is arithmetic only when nothing inside the parentheses is a filter expression's.</summary>
    private bool ArithmeticInside(int open, int close) => _booleans[close] - _booleans[open + 1] == 0;

    private static bool ArithmeticToken(Tok k) => k is Tok.Num or Tok.Len or Tok.Pname or Tok.LBracket or Tok.RBracket or Tok.Colon
        or Tok.LParen or Tok.RParen or Tok.Plus or Tok.Minus or Tok.Star or Tok.Slash or Tok.Percent or Tok.Amp or Tok.Pipe
        or Tok.Caret or Tok.Lsh or Tok.Rsh;

    private Tok KindAt(int i) => tokens[System.Math.Min(i, tokens.Count - 1)].Kind;

    /// <summary>After and/or, bison's state accepts a term or an id: decide which one starts at i.</summary>
    private bool IsIdStart(int i)
    {
        switch (KindAt(i))
        {
            case Tok.Id or Tok.Hid or Tok.Hid6 or Tok.Eid or Tok.Aid: return true;
            case Tok.Num: return !IsArithOp(KindAt(i + 1));
            case Tok.Bang:
                while (KindAt(i) == Tok.Bang) i++;
                return IsIdStart(i);
            case Tok.LParen:
                // "( ... ) +" is arithmetic only if arithmetic can start inside; "(1.2.3.4) +" is an id
                // whose code bison generates before it finds the '+'. Each '(' of a run is asked in turn.
                while (true)
                {
                    int close = MatchingParen(i);
                    if (close > 0 && ArithOrScanError(KindAt(close + 1)) && CanStartArith(i + 1) && ArithmeticInside(i, close)) return false;
                    if (KindAt(i + 1) != Tok.LParen) break;
                    i++;
                }
                return KindAt(i + 1) switch
                {
                    Tok.Id or Tok.Hid or Tok.Hid6 or Tok.Eid or Tok.Aid => true,
                    // "(80 or 90)" is an id; "(5 >> x) > 1" arithmetic, whatever follows its ')'.
                    Tok.Num => !IsArithOp(KindAt(i + 2)),
                    Tok.Bang => IsIdStart(i + 2) || KindAt(i + 2) is Tok.Id or Tok.Hid or Tok.Hid6 or Tok.Eid or Tok.Aid,
                    _ => false,
                };
            default: return false;
        }
    }

    private (Block, Qual) ParseTerm(Qual carried)
    {
        if (Kind() == Tok.Bang)
        {
            Take();
            Open(1);
            var (b, q) = ParseTerm(carried);
            Close(1);
            CodeGenerator.Not(b);
            return (b, q);
        }
        return ParseRterm(carried);
    }

    private static bool IsDqual(Tok k) => k is Tok.Src or Tok.Dst or Tok.Addr1 or Tok.Addr2 or Tok.Addr3 or Tok.Addr4 or Tok.Ra or Tok.Ta;
    private static bool IsAqual(Tok k) => k is Tok.Host or Tok.Net or Tok.Port or Tok.Portrange;
    private static bool IsHeadStart(Tok k) => IsDqual(k) || IsAqual(k) || k is Tok.Proto or Tok.Protochain or Tok.Gateway;

    private (Block, Qual) ParseRterm(Qual carried)
    {
        var k = Kind();
        if (k == Tok.LParen)
        {
            int close = MatchingParen(_pos);
            if (close > 0 && ArithOrScanError(KindAt(close + 1)) && CanStartArith(_pos + 1) && ArithmeticInside(_pos, close)) return (ParseRelation(), Qual.Err);
            Take();
            Open(1);
            var (b, _) = ParseExpr(carried);
            Expect(Tok.RParen);
            Close(1);
            return (b, carried);
        }
        if (IsHeadStart(k)) return ParseHead(Q.Default);
        if (k == Tok.Pname)
        {
            var next = Kind(1);
            if (IsHeadStart(next)) { int p = Take().Proto; return ParseHead(p); }
            if (next == Tok.LBracket) return (ParseRelation(), Qual.Err);
            if (next is Tok.Broadcast or Tok.Multicast or Tok.Type or Tok.Subtype or Tok.Dir)
            {
                int p = Take().Proto;
                return (ParseOther(p), Qual.Err);
            }
            // bison decides between the readings of a protocol name by the token after it: one that
            // cannot follow a term is a syntax error before any code is generated.
            if (next is not (Tok.And or Tok.Or or Tok.RParen or Tok.End)) { Take(); Take(); throw SyntaxError(); }
            int proto = Take().Proto;
            return (gen.ProtoAbbrev(proto), Qual.Err);
        }
        if (k is Tok.Num or Tok.Minus or Tok.Len) return (ParseRelation(), Qual.Err);
        return (ParseOther(Q.Default), Qual.Err);
    }

    /// <summary>Can an arithmetic expression start at i? (Otherwise a parenthesis holds a filter expression.)</summary>
    private bool CanStartArith(int i)
    {
        i = _lparenRunEnd[System.Math.Min(i, tokens.Count)];
        return KindAt(i) switch
        {
            Tok.Num or Tok.Minus or Tok.Len => true,
            Tok.Pname => KindAt(i + 1) == Tok.LBracket,
            _ => false,
        };
    }

    private (Block, Qual) ParseHead(int proto)
    {
        int dir = Q.Default, addr = Q.Default;
        var k = Kind();
        if (IsDqual(k))
        {
            Take();
            dir = k switch { Tok.Src => Q.Src, Tok.Dst => Q.Dst, Tok.Addr1 => Q.Addr1, Tok.Addr2 => Q.Addr2, Tok.Addr3 => Q.Addr3, Tok.Addr4 => Q.Addr4, Tok.Ra => Q.Ra, _ => Q.Ta };
            if (k is Tok.Src or Tok.Dst && Kind() is Tok.Or or Tok.And)
            {
                bool or = Take().Kind == Tok.Or;
                Expect(k == Tok.Src ? Tok.Dst : Tok.Src);
                dir = or ? Q.Or : Q.And;
            }
            if (IsAqual(Kind())) addr = AqualOf(Take().Kind);
        }
        else if (IsAqual(k)) addr = AqualOf(Take().Kind);
        else if (k == Tok.Proto) { Take(); addr = Q.Proto; }
        else if (k == Tok.Protochain) { Take(); addr = Q.Protochain; }
        else if (k == Tok.Gateway) { Take(); addr = Q.Gateway; }
        else { Take(); throw SyntaxError(); }
        return ParseId(new Qual(addr, proto, dir), afterHead: true);
    }

    private static int AqualOf(Tok k) => k switch { Tok.Host => Q.Host, Tok.Net => Q.Net, Tok.Port => Q.Port, _ => Q.Portrange };

    /// <summary>id: nid | pnum | paren pid ')'; nid includes 'not id'.</summary>
    /// <summary><paramref name="afterHead"/>: right after qualifiers, where bison reduces a number without lookahead.</summary>
    private (Block, Qual) ParseId(Qual q, bool afterHead = false)
    {
        switch (Kind())
        {
            case Tok.Bang:
                {
                    Take();
                    Open(1);
                    var (b, q2) = ParseId(q, afterHead);
                    Close(1);
                    CodeGenerator.Not(b);
                    return (b, q2);
                }
            case Tok.LParen:
                {
                    Take();
                    Open(1);
                    // paren pnum ')' or paren pid ')'
                    if (IsParenPnum())
                    {
                        uint n = ParsePnum();
                        Expect(Tok.RParen);
                        Close(1);
                        // bison reads the token after ')' before it reduces: one that cannot follow an id fails first.
                        if (Kind() is not (Tok.And or Tok.Or or Tok.RParen or Tok.End)) { Take(); throw SyntaxError(); }
                        return (gen.NumberCode(null, n, q), q);
                    }
                    // "(" then a parenthesised number and and/or: a pid starting with that number ("host ((1) or
                    // 2)"), whose code bison generates before it reads further.
                    if (Kind() == Tok.LParen && IsClosedPnumThenAndOr())
                    {
                        var rp = ParsePid(q, afterHead, parenPnum: true);
                        Expect(Tok.RParen);
                        Close(1);
                        return rp;
                    }
                    // Otherwise "((" can only open a parenthesised number: bison shifts the whole run of '(' (its
                    // stack may run out) before the token after it fails.
                    if (Kind() == Tok.LParen)
                    {
                        while (Kind() == Tok.LParen) { Take(); Open(1); }
                        Take();
                        throw SyntaxError();
                    }
                    var r = ParsePid(q, afterHead);
                    Expect(Tok.RParen);
                    Close(1);
                    return r;
                }
            case Tok.Num:
                {
                    // bison reduces the number to an id only when the next token can follow one.
                    var t = Take();
                    if (!afterHead && Kind() is not (Tok.And or Tok.Or or Tok.RParen or Tok.End)) { Take(); throw SyntaxError(); }
                    return (gen.NumberCode(null, t.Num, q), q);
                }
            default:
                return (ParseNid(q), q);
        }
    }

    private bool IsParenPnum()
    {
        int n = tokens.Count;
        int num = _lparenRunEnd[System.Math.Min(_pos, n)];
        if (KindAt(num) != Tok.Num) return false;
        int i = _rparenRunEnd[System.Math.Min(num + 1, n)];
        int opened = num - _pos, closed = i - num - 1;
        return closed > 0 && i - 1 > _pos && (KindAt(i) is not (Tok.And or Tok.Or) || 1 + opened - closed <= 0);
    }

    /// <summary>At a run of '(': a number that many ')' close, then and/or.</summary>
    private bool IsClosedPnumThenAndOr()
    {
        int n = tokens.Count;
        int num = _lparenRunEnd[System.Math.Min(_pos, n)];
        if (KindAt(num) != Tok.Num) return false;
        int opened = num - _pos;
        for (int k = 1; k <= opened; k++) if (KindAt(num + k) != Tok.RParen) return false;
        return KindAt(num + opened + 1) is Tok.And or Tok.Or;
    }

    private uint ParsePnum()
    {
        if (Kind() == Tok.LParen)
        {
            Take();
            Open(1);
            uint n = ParsePnum();
            Expect(Tok.RParen);
            Close(1);
            return n;
        }
        if (Kind() != Tok.Num) { Take(); throw SyntaxError(); }
        return Take().Num;
    }

    /// <summary>pid: (nid | pnum) { (and|or) id }</summary>
    private (Block, Qual) ParsePid(Qual q, bool afterHead, bool parenPnum = false)
    {
        Block b;
        Qual cq = q;
        if (Kind() == Tok.Num)
        {
            var t = Take();
            // Right after qualifiers only an id can follow "(", so bison reduces the number at once;
            // after and/or it could also start arithmetic and the next token decides.
            if (!afterHead && Kind() is not (Tok.And or Tok.Or or Tok.RParen)) { Take(); throw SyntaxError(); }
            b = gen.NumberCode(null, t.Num, q);
        }
        else if (Kind() == Tok.LParen && (parenPnum || IsParenPnum())) b = gen.NumberCode(null, ParsePnum(), q);
        else
        {
            b = ParseNid(q);
            if (Kind() is not (Tok.And or Tok.Or)) return (b, q);
        }
        if (Kind() is not (Tok.And or Tok.Or)) { Take(); throw SyntaxError(); }
        while (Kind() is Tok.And or Tok.Or)
        {
            bool and = Take().Kind == Tok.And;
            Open(2);
            var (b2, q2) = ParseId(cq);
            Close(2);
            if (and) CodeGenerator.And(b, b2); else CodeGenerator.Or(b, b2);
            b = b2;
            cq = q2;
        }
        return (b, cq);
    }

    private Block ParseNid(Qual q)
    {
        var t = Take();
        switch (t.Kind)
        {
            case Tok.Id:
                return gen.NameCode(t.Text, q);
            case Tok.Hid:
                if (Kind() == Tok.Slash)
                {
                    Take();
                    if (Kind() != Tok.Num) { Take(); throw SyntaxError(); }
                    return gen.MaskCode(t.Text, null, Take().Num, q);
                }
                if (Kind() == Tok.Netmask)
                {
                    Take();
                    if (Kind() != Tok.Hid) { Take(); throw SyntaxError(); }
                    bool lost = _lostMask == _pos;
                    var mask = Take();
                    return gen.MaskCode(t.Text, lost ? null : mask.Text, 0, q);
                }
                if (q.Addr == Q.Port) throw GrammarError("'port' modifier applied to ip host");
                if (q.Addr == Q.Portrange) throw GrammarError("'portrange' modifier applied to ip host");
                if (q.Addr == Q.Proto) throw GrammarError("'proto' modifier applied to ip host");
                if (q.Addr == Q.Protochain) throw GrammarError("'protochain' modifier applied to ip host");
                return gen.NumberCode(t.Text, 0, q);
            case Tok.Hid6:
                if (Kind() == Tok.Slash)
                {
                    Take();
                    if (Kind() != Tok.Num) { Take(); throw SyntaxError(); }
                    return gen.MaskCode6(t.Text, Take().Num, q);
                }
                return gen.MaskCode6(t.Text, 128, q);
            case Tok.Eid:
                return gen.EtherCode(t.Text, q);
            case Tok.Aid:
                return gen.ArcnetCode(t.Text, q);
            case Tok.Bang:
                {
                    var (b, _) = ParseId(q);
                    CodeGenerator.Not(b);
                    return b;
                }
            default:
                throw SyntaxError();
        }
    }

    private uint ParsePnumOrThrow() => ParsePnum();

    private Block ParseOther(int pqual)
    {
        var t = Take();
        switch (t.Kind)
        {
            case Tok.Broadcast: return gen.Broadcast(pqual);
            case Tok.Multicast: return gen.Multicast(pqual);
            case Tok.Type or Tok.Subtype or Tok.Dir: return ParseP80211(t.Kind);
        }
        if (pqual != Q.Default) throw SyntaxError();
        switch (t.Kind)
        {
            case Tok.Less: return gen.Less(TakeNum());
            case Tok.Greater: return gen.Greater(TakeNum());
            case Tok.Cbyte:
                {
                    uint idx = TakeNum();
                    var op = Take().Kind;
                    if (op is not (Tok.Amp or Tok.Pipe or Tok.Lt or Tok.Gt or Tok.Eq)) throw SyntaxError();
                    return gen.ByteOp(op, idx, TakeNum());
                }
            case Tok.Inbound: return gen.Inbound(false);
            case Tok.Outbound: return gen.Inbound(true);
            case Tok.Ifindex: return gen.Ifindex(TakeNum());
            case Tok.Vlan: return StartsPnum() ? gen.Vlan(ParsePnum(), true) : gen.Vlan(0, false);
            case Tok.Mpls: return StartsPnum() ? gen.Mpls(ParsePnum(), true) : gen.Mpls(0, false);
            case Tok.Pppoed: return gen.Pppoed();
            case Tok.Pppoes: return StartsPnum() ? gen.Pppoes(ParsePnum(), true) : gen.Pppoes(0, false);
            case Tok.Geneve: return StartsPnum() ? gen.Geneve(ParsePnum(), true) : gen.Geneve(0, false);
            case Tok.Llc:
                if (Kind() == Tok.Id) return gen.LlcNamed(Take().Text);
                if (Kind() == Tok.PfRnr) { Take(); return gen.LlcNamed("rnr"); }
                return gen.Llc();
            case Tok.PfIfname or Tok.PfRset:
                {
                    if (Kind() != Tok.Id) { Take(); throw SyntaxError(); }
                    string name = Take().Text;
                    return t.Kind == Tok.PfIfname ? gen.PfIfname(name) : gen.PfRuleset(name);
                }
            case Tok.PfRnr or Tok.PfSrnr:
                {
                    uint n = TakeNum();
                    return t.Kind == Tok.PfRnr ? gen.PfRuleNumber(n) : gen.PfSubruleNumber(n);
                }
            case Tok.PfReason:
                if (Kind() == Tok.Num) return gen.PfReason(Take().Num);
                if (Kind() == Tok.Id) return gen.PfReason(CodeGenerator.PfReasonNumber(Take().Text));
                Take(); throw SyntaxError();
            case Tok.PfAction:
                if (Kind() != Tok.Id) { Take(); throw SyntaxError(); }
                return gen.PfAction(CodeGenerator.PfActionNumber(Take().Text));
            case Tok.Lane: return gen.AtmTypeAbbrev(AtmType.Lane);
            case Tok.Metac: return gen.AtmTypeAbbrev(AtmType.Metac);
            case Tok.Bcc: return gen.AtmTypeAbbrev(AtmType.Bcc);
            case Tok.Oamf4ec: return gen.AtmTypeAbbrev(AtmType.Oamf4ec);
            case Tok.Oamf4sc: return gen.AtmTypeAbbrev(AtmType.Oamf4sc);
            case Tok.Sc: return gen.AtmTypeAbbrev(AtmType.Sc);
            case Tok.Ilmic: return gen.AtmTypeAbbrev(AtmType.Ilmic);
            case Tok.Oam: return gen.AtmTypeAbbrev(AtmType.Oam);
            case Tok.Oamf4: return gen.AtmTypeAbbrev(AtmType.Oamf4);
            case Tok.Connectmsg: return gen.AtmTypeAbbrev(AtmType.Connectmsg);
            case Tok.Metaconnect: return gen.AtmTypeAbbrev(AtmType.Metaconnect);
            case Tok.Vpi or Tok.Vci:
                {
                    bool vci = t.Kind == Tok.Vci;
                    return ParseFieldValue((v, jt, rev) => gen.AtmFieldCode(vci, v, jt, rev));
                }
            case Tok.Fisu: return gen.Mtp2TypeAbbrev(Mtp2Type.Fisu);
            case Tok.Lssu: return gen.Mtp2TypeAbbrev(Mtp2Type.Lssu);
            case Tok.Msu: return gen.Mtp2TypeAbbrev(Mtp2Type.Msu);
            case Tok.Hfisu: return gen.Mtp2TypeAbbrev(Mtp2Type.HFisu);
            case Tok.Hlssu: return gen.Mtp2TypeAbbrev(Mtp2Type.HLssu);
            case Tok.Hmsu: return gen.Mtp2TypeAbbrev(Mtp2Type.HMsu);
            case Tok.Sio or Tok.Opc or Tok.Dpc or Tok.Sls or Tok.Hsio or Tok.Hopc or Tok.Hdpc or Tok.Hsls:
                {
                    var field = t.Kind switch
                    {
                        Tok.Sio => Mtp3Field.Sio, Tok.Opc => Mtp3Field.Opc, Tok.Dpc => Mtp3Field.Dpc, Tok.Sls => Mtp3Field.Sls,
                        Tok.Hsio => Mtp3Field.HSio, Tok.Hopc => Mtp3Field.HOpc, Tok.Hdpc => Mtp3Field.HDpc, _ => Mtp3Field.HSls,
                    };
                    return ParseFieldValue((v, jt, rev) => gen.Mtp3FieldCode(field, v, jt, rev));
                }
        }
        throw SyntaxError();
    }

    /// <summary>atmvalue / mtp3value: NUM | relop NUM | irelop NUM | '(' NUM { or NUM } ')', each value's test made as it is read.</summary>
    private Block ParseFieldValue(System.Func<uint, int, bool, Block> code)
    {
        var k = Kind();
        if (k == Tok.Num) return code(Take().Num, Op.JEQ, false);
        if (k is Tok.Gt or Tok.Geq or Tok.Eq) { Take(); return code(TakeNum(), k == Tok.Gt ? Op.JGT : k == Tok.Geq ? Op.JGE : Op.JEQ, false); }
        if (k is Tok.Leq or Tok.Lt or Tok.Neq) { Take(); return code(TakeNum(), k == Tok.Leq ? Op.JGT : k == Tok.Lt ? Op.JGE : Op.JEQ, true); }
        if (k == Tok.LParen)
        {
            Take();
            var b = code(TakeNum(), Op.JEQ, false);
            while (Kind() == Tok.Or)
            {
                Take();
                var b2 = code(TakeNum(), Op.JEQ, false);
                CodeGenerator.Or(b, b2);
                b = b2;
            }
            Expect(Tok.RParen);
            return b;
        }
        Take();
        throw SyntaxError();
    }

    /// <summary>After vlan, mpls, pppoes or geneve, a number or a parenthesis (which must hold one) follows.</summary>
    private bool StartsPnum() => Kind() is Tok.Num or Tok.LParen;

    private bool IsParenPnumAt(int start)
    {
        int save = _pos;
        _pos = start;
        bool r = IsParenPnum();
        _pos = save;
        return r;
    }

    private uint TakeNum()
    {
        if (Kind() != Tok.Num) { Take(); throw SyntaxError(); }
        return Take().Num;
    }

    private Block ParseP80211(Tok kind)
    {
        switch (kind)
        {
            case Tok.Type:
                {
                    uint type = ParseWlanType();
                    if (Kind() == Tok.Subtype)
                    {
                        Take();
                        uint sub = ParseWlanSubtype(type);
                        return gen.WlanType(type | sub, 0x0c | 0xf0);
                    }
                    return gen.WlanType(type, 0x0c);
                }
            case Tok.Subtype:
                {
                    if (Kind() != Tok.Id) { Take(); throw SyntaxError(); }
                    return gen.WlanType(Wlan.TypeSubtype(Take().Text), 0x0c | 0xf0);
                }
            default:
                {
                    var t = Take();
                    if (t.Kind == Tok.Num) return gen.WlanDir(t.Num);
                    if (t.Kind != Tok.Id) throw SyntaxError();
                    return gen.WlanDir(Wlan.Direction(t.Text));
                }
        }
    }

    private uint ParseWlanType()
    {
        var t = Take();
        if (t.Kind == Tok.Num)
        {
            if ((t.Num & ~0x0cu) != 0) throw new PcapException($"invalid 802.11 type value 0x{t.Num:x2}");
            return t.Num;
        }
        if (t.Kind != Tok.Id) throw SyntaxError();
        return Wlan.Type(t.Text);
    }

    private uint ParseWlanSubtype(uint type)
    {
        var t = Take();
        if (t.Kind == Tok.Num)
        {
            if ((t.Num & ~0xf0u) != 0) throw new PcapException($"invalid 802.11 subtype value 0x{t.Num:x2}");
            return t.Num;
        }
        if (t.Kind != Tok.Id) throw SyntaxError();
        return Wlan.Subtype(type, t.Text);
    }

    // ---- arithmetic: bison's shift/reduce with grammar.y's precedences; '^' and '%' have none (always shift)

    private static int Prec(Tok k) => k switch
    {
        Tok.Pipe => 1, Tok.Amp => 2, Tok.Lsh or Tok.Rsh => 3, Tok.Plus or Tok.Minus => 4, Tok.Star or Tok.Slash => 5, _ => 0,
    };

    private static bool IsBinary(Tok k) => k is Tok.Plus or Tok.Minus or Tok.Star or Tok.Slash or Tok.Percent or Tok.Amp or Tok.Pipe or Tok.Caret or Tok.Lsh or Tok.Rsh;

    private Block ParseRelation()
    {
        var a0 = ParseArth();
        var k = Take().Kind;
        int code; bool reversed;
        switch (k)
        {
            case Tok.Gt: code = Op.JGT; reversed = false; break;
            case Tok.Geq: code = Op.JGE; reversed = false; break;
            case Tok.Eq: code = Op.JEQ; reversed = false; break;
            case Tok.Leq: code = Op.JGT; reversed = true; break;
            case Tok.Lt: code = Op.JGE; reversed = true; break;
            case Tok.Neq: code = Op.JEQ; reversed = true; break;
            default: throw SyntaxError();
        }
        Open(2);
        var a1 = ParseArth();
        Close(2);
        return gen.Relation(code, a0, a1, reversed);
    }

    private Arth ParseArth()
    {
        var operands = new Stack<Arth>();
        var ops = new Stack<Tok>(); // Tok.Minus with unary marker pushed as Tok.Bang
        int depth = _depth;
        try
        {
            while (true)
            {
                // operand, preceded by any unary minus; bison holds a pending binary operator and its left
                // operand (two symbols), or a pending unary minus (one)
                while (Kind() == Tok.Minus) { Take(); ops.Push(Tok.Bang); _depth++; }
                operands.Push(ParsePrimary());
                var k = Kind();
                if (!IsBinary(k))
                {
                    while (ops.Count > 0) Reduce(operands, ops);
                    return operands.Pop();
                }
                while (ops.Count > 0 && ShouldReduce(ops.Peek(), k)) { _depth -= ops.Peek() == Tok.Bang ? 1 : 2; Reduce(operands, ops); }
                Take();
                ops.Push(k);
                _depth += 2;
            }
        }
        finally { _depth = depth; }
    }

    private static bool ShouldReduce(Tok top, Tok look)
    {
        int pl = Prec(look);
        if (pl == 0) return false;
        if (top == Tok.Bang) return true; // UMINUS binds tightest
        int pt = Prec(top);
        return pt != 0 && pt >= pl;
    }

    private void Reduce(Stack<Arth> operands, Stack<Tok> ops)
    {
        var op = ops.Pop();
        if (op == Tok.Bang) { operands.Push(gen.Neg(operands.Pop())); return; }
        var right = operands.Pop();
        var left = operands.Pop();
        int alu = op switch
        {
            Tok.Plus => Op.ADD, Tok.Minus => Op.SUB, Tok.Star => Op.MUL, Tok.Slash => Op.DIV, Tok.Percent => Op.MOD,
            Tok.Amp => Op.AND, Tok.Pipe => Op.OR, Tok.Caret => Op.XOR, Tok.Lsh => Op.LSH, _ => Op.RSH,
        };
        operands.Push(gen.Arith(alu, left, right));
    }

    private Arth ParsePrimary()
    {
        var k = Kind();
        if (k == Tok.Num) return gen.LoadImmediate(Take().Num);
        if (k == Tok.Len) { Take(); return gen.LoadLength(); }
        if (k == Tok.LParen)
        {
            Take();
            Open(1);
            var a = ParseArth();
            Expect(Tok.RParen);
            Close(1);
            return a;
        }
        if (k == Tok.Pname && Kind(1) == Tok.LBracket)
        {
            int proto = Take().Proto;
            Open(1);
            Take();
            Open(1);
            var index = ParseArth();
            uint size = 1;
            if (Kind() == Tok.Colon) { Take(); size = TakeNum(); }
            Expect(Tok.RBracket);
            Close(2);
            return gen.Load(proto, index, size);
        }
        Take();
        // After a protocol name bison reads one more token ('[' would make it a load) before it fails.
        if (k == Tok.Pname) Kind();
        throw SyntaxError();
    }
}
