using System.Collections.Generic;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Compiler;

/// <summary>
/// Recursive descent over libpcap's grammar.y: the same language, precedence, qualifier carry-over
/// and order of semantic actions (each primitive's code is generated as soon as it is recognised,
/// as bison's reductions do). An error (bison's, the scanner's or gencode's) is recorded in the compilation's
/// <see cref="ChunkModel"/> and every method returns failure at once (null, or false), where libpcap longjmps:
/// a refused expression costs no exception.
/// </summary>
internal sealed class Parser
{
    private readonly List<Token> tokens;
    private readonly CodeGenerator gen;
    private readonly ChunkModel _chunks;
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

    public Parser(List<Token> tokens, CodeGenerator gen, ChunkModel chunks)
    {
        this.tokens = tokens;
        this.gen = gen;
        _chunks = chunks;
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

    private Block? Exhausted() => Fail(_scanError ?? "can't parse filter expression: memory exhausted");

    /// <summary>Records the compilation's error (the first one set wins) and returns failure.</summary>
    private Block? Fail(string text)
    {
        _chunks.Fail(text);
        return null;
    }

    /// <summary>A generator's result, or failure where the generator set the compilation's error.</summary>
    private Block? Checked(Block b) => gen.Failed ? null : b;

    private Arth? Checked(Arth a) => gen.Failed ? null : a;

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
            if (t.Kind is Tok.Id or Tok.Hid or Tok.Hid6 or Tok.Eid or Tok.Aid && !_chunks.TryTake(t.Text.Length + 1))
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
    private Block? SyntaxError() => Fail(_scanError ?? "can't parse filter expression: syntax error");

    /// <summary>bison shifts the current token, then fails on what follows (shifting may fail first: its error wins).</summary>
    private Block? SkipThenSyntaxError()
    {
        Skip();
        return SyntaxError();
    }

    private string? _scanError;

    /// <summary>An error grammar.y's actions set with bpf_set_error: like bison's, it loses to the scanner's.</summary>
    private Block? GrammarError(string text) => Fail(_scanError ?? text);

    /// <summary>Shifts the current token into <paramref name="t"/>; false (the error set) where the scanner or bison's stack fails on it.</summary>
    private bool Take(out Token t)
    {
        Lookahead();
        t = tokens[_pos];
        if (t.Kind == Tok.Error)
        {
            if (t.Proto == 1) Fail(t.Text); else SyntaxError();
            return false;
        }
        if (_pos == _lostToken) { Fail(_scanError!); return false; }
        // A closing token lands on top of what it closes: one symbol more than a token that starts something.
        if (BisonBase + _depth + (t.Kind is Tok.RParen or Tok.RBracket ? 2 : 1) >= BisonMaxDepth) { Exhausted(); return false; }
        if (t.Kind != Tok.End) _pos++;
        return true;
    }

    private bool Skip() => Take(out _);

    private bool Expect(Tok k)
    {
        if (Cur.Kind != k) { SkipThenSyntaxError(); return false; }
        return Skip();
    }

    /// <summary>prog: null | null expr. False (the compilation's error set) where libpcap refuses; <paramref name="body"/> is null for the empty program.</summary>
    public bool ParseProgram(out Block? body)
    {
        body = null;
        if (Kind() == Tok.End) return true;
        var (b, _) = ParseExpr(Qual.Err);
        if (b == null) return false;
        if (Kind() != Tok.End) { SkipThenSyntaxError(); return false; }
        body = b;
        return true;
    }

    private static readonly (Block?, Qual) Failure = (null, default);

    private (Block?, Qual) ParseExpr(Qual carried)
    {
        var (b, q) = ParseTerm(carried);
        if (b == null) return Failure;
        while (Kind() is Tok.And or Tok.Or)
        {
            if (!Take(out var op)) return Failure;
            bool and = op.Kind == Tok.And;
            Open(2);
            var (b2, q2) = IsIdStart(_pos) ? ParseId(q) : ParseTerm(q);
            Close(2);
            if (b2 == null) return Failure;
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

    private (Block?, Qual) ParseTerm(Qual carried)
    {
        if (Kind() == Tok.Bang)
        {
            if (!Skip()) return Failure;
            Open(1);
            var (b, q) = ParseTerm(carried);
            Close(1);
            if (b == null) return Failure;
            CodeGenerator.Not(b);
            return (b, q);
        }
        return ParseRterm(carried);
    }

    private static bool IsDqual(Tok k) => k is Tok.Src or Tok.Dst or Tok.Addr1 or Tok.Addr2 or Tok.Addr3 or Tok.Addr4 or Tok.Ra or Tok.Ta;
    private static bool IsAqual(Tok k) => k is Tok.Host or Tok.Net or Tok.Port or Tok.Portrange;
    private static bool IsHeadStart(Tok k) => IsDqual(k) || IsAqual(k) || k is Tok.Proto or Tok.Protochain or Tok.Gateway;

    private (Block?, Qual) ParseRterm(Qual carried)
    {
        var k = Kind();
        if (k == Tok.LParen)
        {
            int close = MatchingParen(_pos);
            if (close > 0 && ArithOrScanError(KindAt(close + 1)) && CanStartArith(_pos + 1) && ArithmeticInside(_pos, close)) return (ParseRelation(), Qual.Err);
            if (!Skip()) return Failure;
            Open(1);
            var (b, _) = ParseExpr(carried);
            if (b == null || !Expect(Tok.RParen)) return Failure;
            Close(1);
            return (b, carried);
        }
        if (IsHeadStart(k)) return ParseHead(Q.Default);
        if (k == Tok.Pname)
        {
            var next = Kind(1);
            if (IsHeadStart(next)) return Take(out var pn) ? ParseHead(pn.Proto) : Failure;
            if (next == Tok.LBracket) return (ParseRelation(), Qual.Err);
            if (next is Tok.Broadcast or Tok.Multicast or Tok.Type or Tok.Subtype or Tok.Dir)
                return Take(out var pn) ? (ParseOther(pn.Proto), Qual.Err) : Failure;
            // bison decides between the readings of a protocol name by the token after it: one that
            // cannot follow a term is a syntax error before any code is generated.
            if (next is not (Tok.And or Tok.Or or Tok.RParen or Tok.End))
            {
                if (Skip()) SkipThenSyntaxError();
                return Failure;
            }
            if (!Take(out var name)) return Failure;
            return (Checked(gen.ProtoAbbrev(name.Proto)), Qual.Err);
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

    private (Block?, Qual) ParseHead(int proto)
    {
        int dir = Q.Default, addr = Q.Default;
        var k = Kind();
        if (IsDqual(k))
        {
            if (!Skip()) return Failure;
            dir = k switch { Tok.Src => Q.Src, Tok.Dst => Q.Dst, Tok.Addr1 => Q.Addr1, Tok.Addr2 => Q.Addr2, Tok.Addr3 => Q.Addr3, Tok.Addr4 => Q.Addr4, Tok.Ra => Q.Ra, _ => Q.Ta };
            if (k is Tok.Src or Tok.Dst && Kind() is Tok.Or or Tok.And)
            {
                if (!Take(out var op)) return Failure;
                if (!Expect(k == Tok.Src ? Tok.Dst : Tok.Src)) return Failure;
                dir = op.Kind == Tok.Or ? Q.Or : Q.And;
            }
            if (IsAqual(Kind()))
            {
                if (!Take(out var a)) return Failure;
                addr = AqualOf(a.Kind);
            }
        }
        else if (IsAqual(k)) { if (!Skip()) return Failure; addr = AqualOf(k); }
        else if (k == Tok.Proto) { if (!Skip()) return Failure; addr = Q.Proto; }
        else if (k == Tok.Protochain) { if (!Skip()) return Failure; addr = Q.Protochain; }
        else if (k == Tok.Gateway) { if (!Skip()) return Failure; addr = Q.Gateway; }
        else { SkipThenSyntaxError(); return Failure; }
        return ParseId(new Qual(addr, proto, dir), afterHead: true);
    }

    private static int AqualOf(Tok k) => k switch { Tok.Host => Q.Host, Tok.Net => Q.Net, Tok.Port => Q.Port, _ => Q.Portrange };

    /// <summary>id: nid | pnum | paren pid ')'; nid includes 'not id'.</summary>
    /// <summary><paramref name="afterHead"/>: right after qualifiers, where bison reduces a number without lookahead.</summary>
    private (Block?, Qual) ParseId(Qual q, bool afterHead = false)
    {
        switch (Kind())
        {
            case Tok.Bang:
                {
                    if (!Skip()) return Failure;
                    Open(1);
                    var (b, q2) = ParseId(q, afterHead);
                    Close(1);
                    if (b == null) return Failure;
                    CodeGenerator.Not(b);
                    return (b, q2);
                }
            case Tok.LParen:
                {
                    if (!Skip()) return Failure;
                    Open(1);
                    // paren pnum ')' or paren pid ')'
                    if (IsParenPnum())
                    {
                        if (!ParsePnum(out uint n) || !Expect(Tok.RParen)) return Failure;
                        Close(1);
                        // bison reads the token after ')' before it reduces: one that cannot follow an id fails first.
                        if (Kind() is not (Tok.And or Tok.Or or Tok.RParen or Tok.End)) { SkipThenSyntaxError(); return Failure; }
                        return (Checked(gen.NumberCode(null, n, q)), q);
                    }
                    // "(" then a parenthesised number and and/or: a pid starting with that number ("host ((1) or
                    // 2)"), whose code bison generates before it reads further.
                    if (Kind() == Tok.LParen && IsClosedPnumThenAndOr())
                    {
                        var rp = ParsePid(q, afterHead, parenPnum: true);
                        if (rp.Item1 == null || !Expect(Tok.RParen)) return Failure;
                        Close(1);
                        return rp;
                    }
                    // Otherwise "((" can only open a parenthesised number: bison shifts the whole run of '(' (its
                    // stack may run out) before the token after it fails.
                    if (Kind() == Tok.LParen)
                    {
                        while (Kind() == Tok.LParen)
                        {
                            if (!Skip()) return Failure;
                            Open(1);
                        }
                        SkipThenSyntaxError();
                        return Failure;
                    }
                    var r = ParsePid(q, afterHead);
                    if (r.Item1 == null || !Expect(Tok.RParen)) return Failure;
                    Close(1);
                    return r;
                }
            case Tok.Num:
                {
                    // bison reduces the number to an id only when the next token can follow one.
                    if (!Take(out var t)) return Failure;
                    if (!afterHead && Kind() is not (Tok.And or Tok.Or or Tok.RParen or Tok.End)) { SkipThenSyntaxError(); return Failure; }
                    return (Checked(gen.NumberCode(null, t.Num, q)), q);
                }
            default:
                return (ParseNid(q), q);
        }
    }

    /// <summary>The number that may follow vlan, mpls, pppoes or geneve: none (0, false), or one read.</summary>
    private bool OptionalPnum(out uint n, out bool present)
    {
        n = 0;
        present = StartsPnum();
        return !present || ParsePnum(out n);
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

    private bool ParsePnum(out uint n)
    {
        n = 0;
        if (Kind() == Tok.LParen)
        {
            if (!Skip()) return false;
            Open(1);
            if (!ParsePnum(out n) || !Expect(Tok.RParen)) return false;
            Close(1);
            return true;
        }
        return TakeNum(out n);
    }

    /// <summary>pid: (nid | pnum) { (and|or) id }</summary>
    private (Block?, Qual) ParsePid(Qual q, bool afterHead, bool parenPnum = false)
    {
        Block? b;
        Qual cq = q;
        if (Kind() == Tok.Num)
        {
            if (!Take(out var t)) return Failure;
            // Right after qualifiers only an id can follow "(", so bison reduces the number at once;
            // after and/or it could also start arithmetic and the next token decides.
            if (!afterHead && Kind() is not (Tok.And or Tok.Or or Tok.RParen)) { SkipThenSyntaxError(); return Failure; }
            b = Checked(gen.NumberCode(null, t.Num, q));
        }
        else if (Kind() == Tok.LParen && (parenPnum || IsParenPnum()))
            b = ParsePnum(out uint n) ? Checked(gen.NumberCode(null, n, q)) : null;
        else
        {
            b = ParseNid(q);
            if (b != null && Kind() is not (Tok.And or Tok.Or)) return (b, q);
        }
        if (b == null) return Failure;
        if (Kind() is not (Tok.And or Tok.Or)) { SkipThenSyntaxError(); return Failure; }
        while (Kind() is Tok.And or Tok.Or)
        {
            if (!Take(out var op)) return Failure;
            Open(2);
            var (b2, q2) = ParseId(cq);
            Close(2);
            if (b2 == null) return Failure;
            if (op.Kind == Tok.And) CodeGenerator.And(b, b2); else CodeGenerator.Or(b, b2);
            b = b2;
            cq = q2;
        }
        return (b, cq);
    }

    private Block? ParseNid(Qual q)
    {
        if (!Take(out var t)) return null;
        switch (t.Kind)
        {
            case Tok.Id:
                return Checked(gen.NameCode(t.Text, q));
            case Tok.Hid:
                if (Kind() == Tok.Slash)
                {
                    if (!Skip()) return null;
                    if (Kind() != Tok.Num) return SkipThenSyntaxError();
                    return Take(out var len) ? Checked(gen.MaskCode(t.Text, null, len.Num, q)) : null;
                }
                if (Kind() == Tok.Netmask)
                {
                    if (!Skip()) return null;
                    if (Kind() != Tok.Hid) return SkipThenSyntaxError();
                    bool lost = _lostMask == _pos;
                    if (!Take(out var mask)) return null;
                    return Checked(gen.MaskCode(t.Text, lost ? null : mask.Text, 0, q));
                }
                if (q.Addr == Q.Port) return GrammarError("'port' modifier applied to ip host");
                if (q.Addr == Q.Portrange) return GrammarError("'portrange' modifier applied to ip host");
                if (q.Addr == Q.Proto) return GrammarError("'proto' modifier applied to ip host");
                if (q.Addr == Q.Protochain) return GrammarError("'protochain' modifier applied to ip host");
                return Checked(gen.NumberCode(t.Text, 0, q));
            case Tok.Hid6:
                if (Kind() == Tok.Slash)
                {
                    if (!Skip()) return null;
                    if (Kind() != Tok.Num) return SkipThenSyntaxError();
                    return Take(out var len) ? Checked(gen.MaskCode6(t.Text, len.Num, q)) : null;
                }
                return Checked(gen.MaskCode6(t.Text, 128, q));
            case Tok.Eid:
                return Checked(gen.EtherCode(t.Text, q));
            case Tok.Aid:
                return Checked(gen.ArcnetCode(t.Text, q));
            case Tok.Bang:
                {
                    var (b, _) = ParseId(q);
                    if (b == null) return null;
                    CodeGenerator.Not(b);
                    return b;
                }
            default:
                return SyntaxError();
        }
    }

    private Block? ParseOther(int pqual)
    {
        if (!Take(out var t)) return null;
        switch (t.Kind)
        {
            case Tok.Broadcast: return Checked(gen.Broadcast(pqual));
            case Tok.Multicast: return Checked(gen.Multicast(pqual));
            case Tok.Type or Tok.Subtype or Tok.Dir: return ParseP80211(t.Kind);
        }
        if (pqual != Q.Default) return SyntaxError();
        uint n;
        switch (t.Kind)
        {
            case Tok.Less: return TakeNum(out n) ? Checked(gen.Less(n)) : null;
            case Tok.Greater: return TakeNum(out n) ? Checked(gen.Greater(n)) : null;
            case Tok.Cbyte:
                {
                    if (!TakeNum(out uint idx) || !Take(out var op)) return null;
                    if (op.Kind is not (Tok.Amp or Tok.Pipe or Tok.Lt or Tok.Gt or Tok.Eq)) return SyntaxError();
                    return TakeNum(out n) ? Checked(gen.ByteOp(op.Kind, idx, n)) : null;
                }
            case Tok.Inbound: return Checked(gen.Inbound(false));
            case Tok.Outbound: return Checked(gen.Inbound(true));
            case Tok.Ifindex: return TakeNum(out n) ? Checked(gen.Ifindex(n)) : null;
            case Tok.Vlan:
                return OptionalPnum(out n, out bool hasVlan) ? Checked(gen.Vlan(n, hasVlan)) : null;
            case Tok.Mpls:
                return OptionalPnum(out n, out bool hasMpls) ? Checked(gen.Mpls(n, hasMpls)) : null;
            case Tok.Pppoed: return Checked(gen.Pppoed());
            case Tok.Pppoes:
                return OptionalPnum(out n, out bool hasPppoes) ? Checked(gen.Pppoes(n, hasPppoes)) : null;
            case Tok.Geneve:
                return OptionalPnum(out n, out bool hasGeneve) ? Checked(gen.Geneve(n, hasGeneve)) : null;
            case Tok.Llc:
                {
                    if (Kind() == Tok.Id) return Take(out var name) ? Checked(gen.LlcNamed(name.Text)) : null;
                    if (Kind() == Tok.PfRnr) return Skip() ? Checked(gen.LlcNamed("rnr")) : null;
                    return Checked(gen.Llc());
                }
            case Tok.PfIfname or Tok.PfRset:
                {
                    if (Kind() != Tok.Id) return SkipThenSyntaxError();
                    if (!Take(out var name)) return null;
                    return Checked(t.Kind == Tok.PfIfname ? gen.PfIfname(name.Text) : gen.PfRuleset(name.Text));
                }
            case Tok.PfRnr or Tok.PfSrnr:
                if (!TakeNum(out n)) return null;
                return Checked(t.Kind == Tok.PfRnr ? gen.PfRuleNumber(n) : gen.PfSubruleNumber(n));
            case Tok.PfReason:
                {
                    if (Kind() == Tok.Num) return Take(out var num) ? Checked(gen.PfReason(num.Num)) : null;
                    if (Kind() != Tok.Id) return SkipThenSyntaxError();
                    if (!Take(out var name)) return null;
                    uint reason = gen.PfReasonNumber(name.Text);
                    return gen.Failed ? null : Checked(gen.PfReason(reason));
                }
            case Tok.PfAction:
                {
                    if (Kind() != Tok.Id) return SkipThenSyntaxError();
                    if (!Take(out var name)) return null;
                    uint action = gen.PfActionNumber(name.Text);
                    return gen.Failed ? null : Checked(gen.PfAction(action));
                }
            case Tok.Lane: return Checked(gen.AtmTypeAbbrev(AtmType.Lane));
            case Tok.Metac: return Checked(gen.AtmTypeAbbrev(AtmType.Metac));
            case Tok.Bcc: return Checked(gen.AtmTypeAbbrev(AtmType.Bcc));
            case Tok.Oamf4ec: return Checked(gen.AtmTypeAbbrev(AtmType.Oamf4ec));
            case Tok.Oamf4sc: return Checked(gen.AtmTypeAbbrev(AtmType.Oamf4sc));
            case Tok.Sc: return Checked(gen.AtmTypeAbbrev(AtmType.Sc));
            case Tok.Ilmic: return Checked(gen.AtmTypeAbbrev(AtmType.Ilmic));
            case Tok.Oam: return Checked(gen.AtmTypeAbbrev(AtmType.Oam));
            case Tok.Oamf4: return Checked(gen.AtmTypeAbbrev(AtmType.Oamf4));
            case Tok.Connectmsg: return Checked(gen.AtmTypeAbbrev(AtmType.Connectmsg));
            case Tok.Metaconnect: return Checked(gen.AtmTypeAbbrev(AtmType.Metaconnect));
            case Tok.Vpi or Tok.Vci: return ParseFieldValue(t.Kind, default);
            case Tok.Fisu: return Checked(gen.Mtp2TypeAbbrev(Mtp2Type.Fisu));
            case Tok.Lssu: return Checked(gen.Mtp2TypeAbbrev(Mtp2Type.Lssu));
            case Tok.Msu: return Checked(gen.Mtp2TypeAbbrev(Mtp2Type.Msu));
            case Tok.Hfisu: return Checked(gen.Mtp2TypeAbbrev(Mtp2Type.HFisu));
            case Tok.Hlssu: return Checked(gen.Mtp2TypeAbbrev(Mtp2Type.HLssu));
            case Tok.Hmsu: return Checked(gen.Mtp2TypeAbbrev(Mtp2Type.HMsu));
            case Tok.Sio or Tok.Opc or Tok.Dpc or Tok.Sls or Tok.Hsio or Tok.Hopc or Tok.Hdpc or Tok.Hsls:
                {
                    var field = t.Kind switch
                    {
                        Tok.Sio => Mtp3Field.Sio, Tok.Opc => Mtp3Field.Opc, Tok.Dpc => Mtp3Field.Dpc, Tok.Sls => Mtp3Field.Sls,
                        Tok.Hsio => Mtp3Field.HSio, Tok.Hopc => Mtp3Field.HOpc, Tok.Hdpc => Mtp3Field.HDpc, _ => Mtp3Field.HSls,
                    };
                    return ParseFieldValue(t.Kind, field);
                }
        }
        return SyntaxError();
    }

    /// <summary>One test of an atmvalue (vpi/vci, <paramref name="field"/> unused) or an mtp3value.</summary>
    private Block? FieldCode(Tok kind, Mtp3Field field, uint v, int jtype, bool reverse) => Checked(kind is Tok.Vpi or Tok.Vci
        ? gen.AtmFieldCode(kind == Tok.Vci, v, jtype, reverse)
        : gen.Mtp3FieldCode(field, v, jtype, reverse));

    /// <summary>atmvalue / mtp3value: NUM | relop NUM | irelop NUM | '(' NUM { or NUM } ')', each value's test made as it is read.</summary>
    private Block? ParseFieldValue(Tok kind, Mtp3Field field)
    {
        var k = Kind();
        uint n;
        if (k == Tok.Num) return Take(out var t) ? FieldCode(kind, field, t.Num, Op.JEQ, false) : null;
        if (k is Tok.Gt or Tok.Geq or Tok.Eq)
            return Skip() && TakeNum(out n) ? FieldCode(kind, field, n, k == Tok.Gt ? Op.JGT : k == Tok.Geq ? Op.JGE : Op.JEQ, false) : null;
        if (k is Tok.Leq or Tok.Lt or Tok.Neq)
            return Skip() && TakeNum(out n) ? FieldCode(kind, field, n, k == Tok.Leq ? Op.JGT : k == Tok.Lt ? Op.JGE : Op.JEQ, true) : null;
        if (k == Tok.LParen)
        {
            if (!Skip() || !TakeNum(out n)) return null;
            var b = FieldCode(kind, field, n, Op.JEQ, false);
            if (b == null) return null;
            while (Kind() == Tok.Or)
            {
                if (!Skip() || !TakeNum(out n)) return null;
                var b2 = FieldCode(kind, field, n, Op.JEQ, false);
                if (b2 == null) return null;
                CodeGenerator.Or(b, b2);
                b = b2;
            }
            return Expect(Tok.RParen) ? b : null;
        }
        return SkipThenSyntaxError();
    }

    /// <summary>After vlan, mpls, pppoes or geneve, a number or a parenthesis (which must hold one) follows.</summary>
    private bool StartsPnum() => Kind() is Tok.Num or Tok.LParen;

    private bool TakeNum(out uint n)
    {
        n = 0;
        if (Kind() != Tok.Num) { SkipThenSyntaxError(); return false; }
        if (!Take(out var t)) return false;
        n = t.Num;
        return true;
    }

    private Block? ParseP80211(Tok kind)
    {
        switch (kind)
        {
            case Tok.Type:
                {
                    if (!ParseWlanType(out uint type)) return null;
                    if (Kind() == Tok.Subtype)
                    {
                        if (!Skip() || !ParseWlanSubtype(type, out uint sub)) return null;
                        return Checked(gen.WlanType(type | sub, 0x0c | 0xf0));
                    }
                    return Checked(gen.WlanType(type, 0x0c));
                }
            case Tok.Subtype:
                {
                    if (Kind() != Tok.Id) return SkipThenSyntaxError();
                    if (!Take(out var name)) return null;
                    uint v = gen.WlanTypeSubtypeNumber(name.Text);
                    return gen.Failed ? null : Checked(gen.WlanType(v, 0x0c | 0xf0));
                }
            default:
                {
                    if (!Take(out var t)) return null;
                    if (t.Kind == Tok.Num) return Checked(gen.WlanDir(t.Num));
                    if (t.Kind != Tok.Id) return SyntaxError();
                    uint dir = gen.WlanDirectionNumber(t.Text);
                    return gen.Failed ? null : Checked(gen.WlanDir(dir));
                }
        }
    }

    private bool ParseWlanType(out uint type)
    {
        type = 0;
        if (!Take(out var t)) return false;
        if (t.Kind == Tok.Num)
        {
            if ((t.Num & ~0x0cu) != 0) { Fail($"invalid 802.11 type value 0x{t.Num:x2}"); return false; }
            type = t.Num;
            return true;
        }
        if (t.Kind != Tok.Id) { SyntaxError(); return false; }
        type = gen.WlanTypeNumber(t.Text);
        return !gen.Failed;
    }

    private bool ParseWlanSubtype(uint type, out uint subtype)
    {
        subtype = 0;
        if (!Take(out var t)) return false;
        if (t.Kind == Tok.Num)
        {
            if ((t.Num & ~0xf0u) != 0) { Fail($"invalid 802.11 subtype value 0x{t.Num:x2}"); return false; }
            subtype = t.Num;
            return true;
        }
        if (t.Kind != Tok.Id) { SyntaxError(); return false; }
        subtype = gen.WlanSubtypeNumber(type, t.Text);
        return !gen.Failed;
    }

    // ---- arithmetic: bison's shift/reduce with grammar.y's precedences; '^' and '%' have none (always shift)

    private static int Prec(Tok k) => k switch
    {
        Tok.Pipe => 1, Tok.Amp => 2, Tok.Lsh or Tok.Rsh => 3, Tok.Plus or Tok.Minus => 4, Tok.Star or Tok.Slash => 5, _ => 0,
    };

    private static bool IsBinary(Tok k) => k is Tok.Plus or Tok.Minus or Tok.Star or Tok.Slash or Tok.Percent or Tok.Amp or Tok.Pipe or Tok.Caret or Tok.Lsh or Tok.Rsh;

    private Block? ParseRelation()
    {
        var a0 = ParseArth();
        if (a0 == null || !Take(out var rel)) return null;
        int code; bool reversed;
        switch (rel.Kind)
        {
            case Tok.Gt: code = Op.JGT; reversed = false; break;
            case Tok.Geq: code = Op.JGE; reversed = false; break;
            case Tok.Eq: code = Op.JEQ; reversed = false; break;
            case Tok.Leq: code = Op.JGT; reversed = true; break;
            case Tok.Lt: code = Op.JGE; reversed = true; break;
            case Tok.Neq: code = Op.JEQ; reversed = true; break;
            default: return SyntaxError();
        }
        Open(2);
        var a1 = ParseArth();
        Close(2);
        return a1 == null ? null : Checked(gen.Relation(code, a0, a1, reversed));
    }

    private Arth? ParseArth()
    {
        var operands = new Stack<Arth>();
        var ops = new Stack<Tok>(); // Tok.Minus with unary marker pushed as Tok.Bang
        int depth = _depth;
        var result = ParseArth(operands, ops);
        _depth = depth;
        return result;
    }

    private Arth? ParseArth(Stack<Arth> operands, Stack<Tok> ops)
    {
        while (true)
        {
            // operand, preceded by any unary minus; bison holds a pending binary operator and its left
            // operand (two symbols), or a pending unary minus (one)
            while (Kind() == Tok.Minus)
            {
                if (!Skip()) return null;
                ops.Push(Tok.Bang);
                _depth++;
            }
            var operand = ParsePrimary();
            if (operand == null) return null;
            operands.Push(operand);
            var k = Kind();
            if (!IsBinary(k))
            {
                while (ops.Count > 0) if (!Reduce(operands, ops)) return null;
                return operands.Pop();
            }
            while (ops.Count > 0 && ShouldReduce(ops.Peek(), k))
            {
                _depth -= ops.Peek() == Tok.Bang ? 1 : 2;
                if (!Reduce(operands, ops)) return null;
            }
            if (!Skip()) return null;
            ops.Push(k);
            _depth += 2;
        }
    }

    private static bool ShouldReduce(Tok top, Tok look)
    {
        int pl = Prec(look);
        if (pl == 0) return false;
        if (top == Tok.Bang) return true; // UMINUS binds tightest
        int pt = Prec(top);
        return pt != 0 && pt >= pl;
    }

    private bool Reduce(Stack<Arth> operands, Stack<Tok> ops)
    {
        var op = ops.Pop();
        if (op == Tok.Bang) { operands.Push(gen.Neg(operands.Pop())); return true; }
        var right = operands.Pop();
        var left = operands.Pop();
        int alu = op switch
        {
            Tok.Plus => Op.ADD, Tok.Minus => Op.SUB, Tok.Star => Op.MUL, Tok.Slash => Op.DIV, Tok.Percent => Op.MOD,
            Tok.Amp => Op.AND, Tok.Pipe => Op.OR, Tok.Caret => Op.XOR, Tok.Lsh => Op.LSH, _ => Op.RSH,
        };
        operands.Push(gen.Arith(alu, left, right));
        return !gen.Failed;
    }

    private Arth? ParsePrimary()
    {
        var k = Kind();
        if (k == Tok.Num) return Take(out var t) ? Checked(gen.LoadImmediate(t.Num)) : null;
        if (k == Tok.Len) return Skip() ? Checked(gen.LoadLength()) : null;
        if (k == Tok.LParen)
        {
            if (!Skip()) return null;
            Open(1);
            var a = ParseArth();
            if (a == null || !Expect(Tok.RParen)) return null;
            Close(1);
            return a;
        }
        if (k == Tok.Pname && Kind(1) == Tok.LBracket)
        {
            if (!Take(out var pname)) return null;
            Open(1);
            if (!Skip()) return null;
            Open(1);
            var index = ParseArth();
            if (index == null) return null;
            uint size = 1;
            if (Kind() == Tok.Colon && (!Skip() || !TakeNum(out size))) return null;
            if (!Expect(Tok.RBracket)) return null;
            Close(2);
            return Checked(gen.Load(pname.Proto, index, size));
        }
        if (!Skip()) return null;
        // After a protocol name bison reads one more token ('[' would make it a load) before it fails.
        if (k == Tok.Pname) Kind();
        SyntaxError();
        return null;
    }
}
