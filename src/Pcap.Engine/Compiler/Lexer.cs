using System;
using System.Collections.Generic;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Compiler;

internal enum Tok
{
    End, Error,
    // values
    Num, Id, Hid, Hid6, Eid, Aid,
    // punctuation
    LParen, RParen, LBracket, RBracket, Colon, Bang, Plus, Minus, Star, Slash, Percent, Amp, Pipe, Caret,
    Gt, Lt, Eq, Geq, Leq, Neq, Lsh, Rsh,
    // keywords
    Dst, Src, Host, Gateway, Net, Netmask, Port, Portrange, Proto, Protochain,
    And, Or, Not, Less, Greater, Cbyte, Broadcast, Multicast, Len, Inbound, Outbound, Ifindex,
    Vlan, Mpls, Pppoed, Pppoes, Geneve, Llc,
    Lane, Metac, Bcc, Oam, Oamf4, Oamf4ec, Oamf4sc, Sc, Ilmic, Vpi, Vci, Connectmsg, Metaconnect,
    PfIfname, PfRset, PfRnr, PfSrnr, PfReason, PfAction,
    Fisu, Lssu, Msu, Hfisu, Hlssu, Hmsu, Sio, Opc, Dpc, Sls, Hsio, Hopc, Hdpc, Hsls,
    Type, Subtype, Dir, Addr1, Addr2, Addr3, Addr4, Ra, Ta,
    // protocol names (pname)
    Pname,
}

/// <summary>A token with its text and, for names, the protocol qualifier or number.</summary>
internal readonly record struct Token(Tok Kind, string Text, uint Num = 0, int Proto = 0);

/// <summary>pcap-filter(7) tokens, following libpcap's scanner.l (longest match, earlier rule on a tie).</summary>
internal static class Lexer
{
    private static readonly Dictionary<string, Tok> Keywords = new()
    {
        ["dst"] = Tok.Dst, ["src"] = Tok.Src, ["host"] = Tok.Host, ["gateway"] = Tok.Gateway, ["net"] = Tok.Net,
        ["mask"] = Tok.Netmask, ["port"] = Tok.Port, ["portrange"] = Tok.Portrange, ["proto"] = Tok.Proto,
        ["protochain"] = Tok.Protochain, ["and"] = Tok.And, ["or"] = Tok.Or, ["not"] = Tok.Bang,
        ["less"] = Tok.Less, ["greater"] = Tok.Greater, ["byte"] = Tok.Cbyte, ["broadcast"] = Tok.Broadcast,
        ["multicast"] = Tok.Multicast, ["len"] = Tok.Len, ["length"] = Tok.Len, ["inbound"] = Tok.Inbound,
        ["outbound"] = Tok.Outbound, ["ifindex"] = Tok.Ifindex, ["vlan"] = Tok.Vlan, ["mpls"] = Tok.Mpls,
        ["pppoed"] = Tok.Pppoed, ["pppoes"] = Tok.Pppoes, ["geneve"] = Tok.Geneve, ["llc"] = Tok.Llc,
        ["lane"] = Tok.Lane, ["metac"] = Tok.Metac, ["bcc"] = Tok.Bcc, ["oam"] = Tok.Oam, ["oamf4"] = Tok.Oamf4,
        ["oamf4ec"] = Tok.Oamf4ec, ["oamf4sc"] = Tok.Oamf4sc, ["sc"] = Tok.Sc, ["ilmic"] = Tok.Ilmic,
        ["vpi"] = Tok.Vpi, ["vci"] = Tok.Vci, ["connectmsg"] = Tok.Connectmsg, ["metaconnect"] = Tok.Metaconnect,
        ["on"] = Tok.PfIfname, ["ifname"] = Tok.PfIfname, ["rset"] = Tok.PfRset, ["ruleset"] = Tok.PfRset,
        ["rnr"] = Tok.PfRnr, ["rulenum"] = Tok.PfRnr, ["srnr"] = Tok.PfSrnr, ["subrulenum"] = Tok.PfSrnr,
        ["reason"] = Tok.PfReason, ["action"] = Tok.PfAction,
        ["fisu"] = Tok.Fisu, ["lssu"] = Tok.Lssu, ["lsu"] = Tok.Lssu, ["msu"] = Tok.Msu, ["hfisu"] = Tok.Hfisu,
        ["hlssu"] = Tok.Hlssu, ["hmsu"] = Tok.Hmsu, ["sio"] = Tok.Sio, ["opc"] = Tok.Opc, ["dpc"] = Tok.Dpc,
        ["sls"] = Tok.Sls, ["hsio"] = Tok.Hsio, ["hopc"] = Tok.Hopc, ["hdpc"] = Tok.Hdpc, ["hsls"] = Tok.Hsls,
        ["type"] = Tok.Type, ["subtype"] = Tok.Subtype, ["direction"] = Tok.Dir, ["dir"] = Tok.Dir,
        ["address1"] = Tok.Addr1, ["addr1"] = Tok.Addr1, ["address2"] = Tok.Addr2, ["addr2"] = Tok.Addr2,
        ["address3"] = Tok.Addr3, ["addr3"] = Tok.Addr3, ["address4"] = Tok.Addr4, ["addr4"] = Tok.Addr4,
        ["ra"] = Tok.Ra, ["ta"] = Tok.Ta,
    };

    private static readonly Dictionary<string, int> Pnames = new()
    {
        ["link"] = Q.Link, ["ether"] = Q.Link, ["ppp"] = Q.Link, ["slip"] = Q.Link, ["fddi"] = Q.Link, ["tr"] = Q.Link, ["wlan"] = Q.Link,
        ["ip"] = Q.Ip, ["arp"] = Q.Arp, ["rarp"] = Q.Rarp, ["sctp"] = Q.Sctp, ["tcp"] = Q.Tcp, ["udp"] = Q.Udp,
        ["icmp"] = Q.Icmp, ["igmp"] = Q.Igmp, ["igrp"] = Q.Igrp, ["pim"] = Q.Pim, ["vrrp"] = Q.Vrrp, ["carp"] = Q.Carp,
        ["radio"] = Q.Radio, ["ip6"] = Q.Ipv6, ["icmp6"] = Q.Icmpv6, ["ah"] = Q.Ah, ["esp"] = Q.Esp,
        ["atalk"] = Q.Atalk, ["aarp"] = Q.Aarp, ["decnet"] = Q.Decnet, ["lat"] = Q.Lat, ["sca"] = Q.Sca,
        ["moprc"] = Q.Moprc, ["mopdl"] = Q.Mopdl, ["iso"] = Q.Iso, ["esis"] = Q.Esis, ["es-is"] = Q.Esis,
        ["isis"] = Q.Isis, ["is-is"] = Q.Isis, ["l1"] = Q.IsisL1, ["l2"] = Q.IsisL2, ["iih"] = Q.IsisIih,
        ["lsp"] = Q.IsisLsp, ["snp"] = Q.IsisSnp, ["csnp"] = Q.IsisCsnp, ["psnp"] = Q.IsisPsnp, ["clnp"] = Q.Clnp,
        ["stp"] = Q.Stp, ["ipx"] = Q.Ipx, ["netbeui"] = Q.Netbeui,
    };

    /// <summary>Named numbers of pcap-filter(7): header fields and flag values.</summary>
    private static readonly Dictionary<string, uint> NamedNumbers = new()
    {
        ["icmptype"] = 0, ["icmpcode"] = 1, ["icmp6type"] = 0, ["icmp6code"] = 1, ["tcpflags"] = 13,
        ["tcp-fin"] = 0x01, ["tcp-syn"] = 0x02, ["tcp-rst"] = 0x04, ["tcp-push"] = 0x08, ["tcp-ack"] = 0x10,
        ["tcp-urg"] = 0x20, ["tcp-ece"] = 0x40, ["tcp-cwr"] = 0x80,
        ["icmp-echoreply"] = 0, ["icmp-unreach"] = 3, ["icmp-sourcequench"] = 4, ["icmp-redirect"] = 5, ["icmp-echo"] = 8,
        ["icmp-routeradvert"] = 9, ["icmp-routersolicit"] = 10, ["icmp-timxceed"] = 11, ["icmp-paramprob"] = 12,
        ["icmp-tstamp"] = 13, ["icmp-tstampreply"] = 14, ["icmp-ireq"] = 15, ["icmp-ireqreply"] = 16,
        ["icmp-maskreq"] = 17, ["icmp-maskreply"] = 18,
        ["icmp6-destinationunreach"] = 1, ["icmp6-packettoobig"] = 2, ["icmp6-timeexceeded"] = 3, ["icmp6-parameterproblem"] = 4,
        ["icmp6-echo"] = 128, ["icmp6-echoreply"] = 129, ["icmp6-multicastlistenerquery"] = 130,
        ["icmp6-multicastlistenerreportv1"] = 131, ["icmp6-multicastlistenerdone"] = 132, ["icmp6-routersolicit"] = 133,
        ["icmp6-routeradvert"] = 134, ["icmp6-neighborsolicit"] = 135, ["icmp6-neighboradvert"] = 136, ["icmp6-redirect"] = 137,
        ["icmp6-routerrenum"] = 138, ["icmp6-nodeinformationquery"] = 139, ["icmp6-nodeinformationresponse"] = 140,
        ["icmp6-ineighbordiscoverysolicit"] = 141, ["icmp6-ineighbordiscoveryadvert"] = 142,
        ["icmp6-multicastlistenerreportv2"] = 143, ["icmp6-homeagentdiscoveryrequest"] = 144,
        ["icmp6-homeagentdiscoveryreply"] = 145, ["icmp6-mobileprefixsolicit"] = 146, ["icmp6-mobileprefixadvert"] = 147,
        ["icmp6-certpathsolicit"] = 148, ["icmp6-certpathadvert"] = 149, ["icmp6-multicastrouteradvert"] = 151,
        ["icmp6-multicastroutersolicit"] = 152, ["icmp6-multicastrouterterm"] = 153,
    };

    /// <summary>
    /// Every word the scanner knows, as its token (the text is the table's own string): named numbers first,
    /// then keywords, then protocol names, scanner.l's order. Looked up by span, so that a word costs no string.
    /// </summary>
    private static readonly Dictionary<string, Token> Words = BuildWords();

    private static readonly Dictionary<string, Token>.AlternateLookup<ReadOnlySpan<char>> WordsBySpan =
        Words.GetAlternateLookup<ReadOnlySpan<char>>();

    private static Dictionary<string, Token> BuildWords()
    {
        var words = new Dictionary<string, Token>();
        foreach (var (w, v) in NamedNumbers) words.TryAdd(w, new Token(Tok.Num, w, v));
        foreach (var (w, k) in Keywords) words.TryAdd(w, new Token(k, w));
        foreach (var (w, p) in Pnames) words.TryAdd(w, new Token(Tok.Pname, w, 0, p));
        return words;
    }

    /// <summary>The text of each ASCII character, for punctuation tokens.</summary>
    private static readonly string[] CharTexts = BuildCharTexts();

    private static string[] BuildCharTexts()
    {
        var texts = new string[128];
        for (int c = 0; c < texts.Length; c++) texts[c] = ((char)c).ToString();
        return texts;
    }

    /// <summary>scanner.l's blanks: space, tab, newline, carriage return (a vertical tab or form feed is a syntax error).</summary>
    private static bool IsBlank(char c) => c is ' ' or '\t' or '\n' or '\r';

    public static bool IsBlank(string s)
    {
        foreach (char c in s) if (!IsBlank(c)) return false;
        return true;
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);
    private static bool IsDigit(char c) => c is >= '0' and <= '9';
    private static bool IsAlnum(char c) => char.IsAsciiLetterOrDigit(c);

    public static List<Token> Tokenize(string s)
    {
        // About one token per three characters in real expressions: one allocation for most.
        var list = new List<Token>(s.Length / 3 + 4);
        int i = 0;
        while (true)
        {
            while (i < s.Length && IsBlank(s[i])) i++;
            if (i >= s.Length) { list.Add(new Token(Tok.End, "")); return list; }
            char c = s[i];
            char c2 = i + 1 < s.Length ? s[i + 1] : '\0';
            (Tok, string)? op2 = (c, c2) switch
            {
                ('>', '=') => (Tok.Geq, ">="), ('<', '=') => (Tok.Leq, "<="), ('!', '=') => (Tok.Neq, "!="), ('=', '=') => (Tok.Eq, "=="),
                ('<', '<') => (Tok.Lsh, "<<"), ('>', '>') => (Tok.Rsh, ">>"), ('&', '&') => (Tok.And, "&&"), ('|', '|') => (Tok.Or, "||"),
                _ => null,
            };
            if (op2 is var (t2, text2)) { list.Add(new Token(t2, text2)); i += 2; continue; }
            Tok? op1 = c switch
            {
                '(' => Tok.LParen, ')' => Tok.RParen, '[' => Tok.LBracket, ']' => Tok.RBracket, ':' => Tok.Colon, '!' => Tok.Bang,
                '+' => Tok.Plus, '-' => Tok.Minus, '*' => Tok.Star, '/' => Tok.Slash, '%' => Tok.Percent, '&' => Tok.Amp,
                '|' => Tok.Pipe, '^' => Tok.Caret, '>' => Tok.Gt, '<' => Tok.Lt, '=' => Tok.Eq, _ => null,
            };
            // ':' may start an IPv6 address ("::1").
            if (op1 is Tok t1 && !(c == ':' && V6Length(s, i) > 0))
            {
                list.Add(new Token(t1, CharTexts[c])); i++; continue;
            }
            if (c == '\\')
            {
                int j = i + 1;
                while (j < s.Length && s[j] is not (' ' or '!' or '(' or ')' or '\n' or '\t')) j++;
                if (j == i + 1) { list.Add(new Token(Tok.Error, "\\")); return list; }
                list.Add(new Token(Tok.Id, s[(i + 1)..j])); i = j; continue;
            }
            if (c == '$' && i + 1 < s.Length && IsHex(s[i + 1]))
            {
                int j = i + 2;
                if (j < s.Length && IsHex(s[j])) j++;
                list.Add(new Token(Tok.Aid, s[i..j])); i = j; continue;
            }
            // Candidates: keyword/ID, NUM, HID, HID6, EID; the longest wins, the earlier rule on a tie
            // (keywords, NUM, HID, HID6, EID, ID in scanner.l's order).
            int idLen = IdLength(s, i), numLen = NumLength(s, i), hidLen = HidLength(s, i), v6Len = V6Length(s, i), macLen = MacLength(s, i),
                bogusLen = BogusMacLength(s, i);
            int best = Math.Max(Math.Max(Math.Max(idLen, numLen), Math.Max(Math.Max(hidLen, v6Len), macLen)), bogusLen);
            if (best == 0) { list.Add(new Token(Tok.Error, c.ToString())); return list; }
            if (idLen == best && WordsBySpan.TryGetValue(s.AsSpan(i, best), out var word))
            {
                list.Add(word);
                i += best;
                continue;
            }
            string text = s.Substring(i, best);
            if (macLen == best) list.Add(new Token(Tok.Eid, text));
            else if (numLen == best)
            {
                string? bad = ParseNumber(text, out uint number);
                if (bad != null) { list.Add(new Token(Tok.Error, bad, 0, 1)); return list; }
                list.Add(new Token(Tok.Num, text, number));
            }
            else if (hidLen == best) list.Add(new Token(Tok.Hid, text));
            else if (v6Len == best)
            {
                if (Names.NameResolver.NumericIpv6(text) == null)
                {
                    list.Add(new Token(Tok.Error, $"bogus IPv6 address {text}", 0, 1));
                    return list;
                }
                list.Add(new Token(Tok.Hid6, text));
            }
            else if (bogusLen == best) { list.Add(new Token(Tok.Error, $"bogus ethernet address {text}", 0, 1)); return list; }
            else list.Add(new Token(Tok.Id, text));
            i += best;
        }
    }

    /// <summary>[A-Za-z0-9]([-_.A-Za-z0-9]*[.A-Za-z0-9])?</summary>
    private static int IdLength(string s, int i)
    {
        if (!IsAlnum(s[i])) return 0;
        int j = i + 1, last = i + 1;
        while (j < s.Length && (IsAlnum(s[j]) || s[j] is '-' or '_' or '.'))
        {
            j++;
            if (IsAlnum(s[j - 1]) || s[j - 1] == '.') last = j;
        }
        return last - i;
    }

    /// <summary>[0-9]+ | 0[xX][0-9A-Fa-f]+</summary>
    private static int NumLength(string s, int i)
    {
        if (!IsDigit(s[i])) return 0;
        if (s[i] == '0' && i + 2 < s.Length + 0 && i + 1 < s.Length && s[i + 1] is 'x' or 'X' && i + 2 < s.Length && IsHex(s[i + 2]))
        {
            int k = i + 2;
            while (k < s.Length && IsHex(s[k])) k++;
            return k - i;
        }
        int j = i;
        while (j < s.Length && IsDigit(s[j])) j++;
        return j - i;
    }

    /// <summary>N.N, N.N.N or N.N.N.N</summary>
    private static int HidLength(string s, int i)
    {
        int best = 0, j = i, parts = 0;
        while (true)
        {
            int n = j < s.Length ? NumLength(s, j) : 0;
            if (n == 0) break;
            j += n;
            parts++;
            if (parts >= 2) best = j - i;
            if (parts == 4 || j >= s.Length || s[j] != '.') break;
            j++;
        }
        return best;
    }

    /// <summary>B:B:B:B:B:B, B-B-B-B-B-B, B.B.B.B.B.B (B one or two hex digits), BBBB.BBBB.BBBB, or 12 hex digits.</summary>
    private static int MacLength(string s, int i)
    {
        // Every form is at least 11 characters of hex digits and separators ("a:b:c:d:e:f"): most words are not.
        int run = 0;
        while (run < 11 && i + run < s.Length && (IsHex(s[i + run]) || s[i + run] is ':' or '-' or '.')) run++;
        if (run < 11) return 0;
        int best = 0;
        foreach (char sep in ":-.")
        {
            int j = i, groups = 0;
            while (groups < 6)
            {
                int n = 0;
                while (n < 2 && j + n < s.Length && IsHex(s[j + n])) n++;
                if (n == 0) break;
                j += n;
                groups++;
                if (groups == 6) break;
                if (j >= s.Length || s[j] != sep) break;
                j++;
            }
            if (groups == 6) best = Math.Max(best, j - i);
        }
        {
            int j = i, groups = 0;
            while (groups < 3)
            {
                int n = 0;
                while (n < 4 && j + n < s.Length && IsHex(s[j + n])) n++;
                if (n != 4) break;
                j += 4;
                groups++;
                if (groups == 3) break;
                if (j >= s.Length || s[j] != '.') break;
                j++;
            }
            if (groups == 3) best = Math.Max(best, j - i);
        }
        {
            int n = 0;
            while (n < 12 && i + n < s.Length && IsHex(s[i + n])) n++;
            if (n == 12) best = Math.Max(best, 12);
        }
        return best;
    }

    /// <summary>scanner.l's {B}:+({B}:+)+ rule: colon-separated hex bytes ending in a colon, refused as a MAC address.</summary>
    private static int BogusMacLength(string s, int i)
    {
        int j = i, groups = 0, best = 0;
        while (true)
        {
            int n = 0;
            while (n < 2 && j + n < s.Length && IsHex(s[j + n])) n++;
            if (n == 0 || j + n >= s.Length || s[j + n] != ':') break;
            j += n;
            while (j < s.Length && s[j] == ':') j++;
            groups++;
            if (groups >= 2) best = j - i;
        }
        return best;
    }

    /// <summary>
    /// The longest prefix at i matching scanner.l's {V6} rules: groups of 1 to 4 hex digits separated by ':',
    /// eight of them, or at most seven around one "::"; or six (at most five around "::") then an
    /// N.N.N.N tail. One walk over at most eight groups, so a run of colons costs linear time in all.
    /// </summary>
    private static int V6Length(string s, int i)
    {
        int best = 0, p = i, before = 0, after = 0;
        bool dbl = false;
        if (At(s, p, ':') && At(s, p + 1, ':')) { dbl = true; p += 2; best = p - i; }
        else if (!(p < s.Length && IsHex(s[p]))) return 0;
        while (before + after <= 8)
        {
            // A dotted-quad tail can start a group after a separator.
            if (p > i && (dbl ? before + after <= 5 : before == 6))
            {
                int v4 = DottedQuadLength(s, p);
                if (v4 > 0) best = Math.Max(best, p + v4 - i);
            }
            int w = 0;
            while (w < 4 && p + w < s.Length && IsHex(s[p + w])) w++;
            if (w == 0) break;
            p += w;
            if (dbl) after++; else before++;
            if (dbl ? before + after <= 7 : before == 8) best = Math.Max(best, p - i);
            if (!At(s, p, ':')) break;
            if (!dbl && At(s, p + 1, ':'))
            {
                dbl = true;
                p += 2;
                if (before <= 7) best = Math.Max(best, p - i);
            }
            else p++;
        }
        return best;
    }

    private static bool At(string s, int p, char c) => p < s.Length && s[p] == c;

    /// <summary>{N}\.{N}\.{N}\.{N} at p, N being [0-9]+ or 0[xX][0-9A-Fa-f]+; 0 if none.</summary>
    private static int DottedQuadLength(string s, int p)
    {
        int j = p;
        for (int part = 0; part < 4; part++)
        {
            if (part > 0) { if (!At(s, j, '.')) return 0; j++; }
            int n = j < s.Length ? NumLength(s, j) : 0;
            if (n == 0) return 0;
            j += n;
        }
        return j - p;
    }

    /// <summary>libpcap's stoulen: hex, octal with a leading 0, decimal; returns the scanner's error text (32-bit overflow, a non-octal digit) or null.</summary>
    private static string? ParseNumber(string text, out uint number)
    {
        number = 0;
        ulong v = 0;
        if (text.Length > 2 && text[0] == '0' && text[1] is 'x' or 'X')
        {
            for (int i = 2; i < text.Length; i++)
            {
                char c = text[i];
                v = v * 16 + (ulong)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
                if (v > uint.MaxValue) return $"number {text} overflows 32 bits";
            }
        }
        else if (text.Length > 1 && text[0] == '0')
        {
            for (int i = 1; i < text.Length; i++)
            {
                char c = text[i];
                if (c > '7') return $"number {text} contains non-octal digit";
                v = v * 8 + (ulong)(c - '0');
                if (v > uint.MaxValue) return $"number {text} overflows 32 bits";
            }
        }
        else
        {
            foreach (char c in text)
            {
                v = v * 10 + (ulong)(c - '0');
                if (v > uint.MaxValue) return $"number {text} overflows 32 bits";
            }
        }
        number = (uint)v;
        return null;
    }
}
