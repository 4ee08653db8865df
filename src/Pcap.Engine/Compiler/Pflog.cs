using System.Text;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Compiler;

/// <summary>
/// OpenBSD pf's log (DLT_PFLOG): a variable-length struct pfloghdr (its length in the first byte,
/// rounded up to 4) before the IP packet; gen_pf_* and the pflog cases of gen_linktype and gen_inbound.
/// </summary>
internal sealed partial class CodeGenerator
{
    // struct pfloghdr (libpcap's pflog.h, as built on Linux).
    private const uint PflogAf = 1, PflogAction = 2, PflogReason = 3, PflogIfname = 4, PflogRuleset = 20,
        PflogRulenr = 36, PflogSubrulenr = 40, PflogDir = 60, PflogNameSize = 16;
    private const uint PfIn = 1, PfOut = 2;

    // Address families as this host (Linux) numbers them.
    private const uint AfInet = 2, AfInet6 = 10;

    private static readonly (string, int)[] PfReasons =
    [
        ("match", 0), ("bad-offset", 1), ("fragment", 2), ("short", 3), ("normalize", 4), ("memory", 5), ("bad-timestamp", 6),
        ("congestion", 7), ("ip-option", 8), ("proto-cksum", 9), ("state-mismatch", 10), ("state-insert", 11), ("state-limit", 12),
        ("src-limit", 13), ("synproxy", 14),
    ];

    private static readonly (string, int)[] PfActions =
    [
        ("pass", 0), ("accept", 0), ("drop", 1), ("block", 1), ("scrub", 2), ("noscrub", 3), ("nat", 4), ("nonat", 5), ("binat", 6),
        ("nobinat", 7), ("rdr", 8), ("nordr", 9), ("synproxy-drop", 10),
    ];

    private Block PflogLinkType(uint proto) => proto switch
    {
        EtherTypeIp => Cmp(OffRel.LinkHdr, PflogAf, Op.B, AfInet),
        EtherTypeIpv6 => Cmp(OffRel.LinkHdr, PflogAf, Op.B, AfInet6),
        _ => False(),
    };

    private void RequirePflog(string what)
    {
        if (_linkType != Dlt.Pflog) _chunks.Fail($"{what} supported only on PF linktype");
    }

    private Block PflogName(uint offset, string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        return Bcmp(OffRel.LinkHdr, offset, (uint)bytes.Length, bytes);
    }

    /// <summary>gen_pf_ifname: "ifname NAME" / "on NAME".</summary>
    public Block PfIfname(string name)
    {
        RequirePflog("ifname");
        if (Encoding.UTF8.GetByteCount(name) >= PflogNameSize)
            return Fail($"ifname interface names can only be {PflogNameSize - 1} characters");
        return PflogName(PflogIfname, name);
    }

    /// <summary>gen_pf_ruleset.</summary>
    public Block PfRuleset(string name)
    {
        RequirePflog("ruleset");
        if (Encoding.UTF8.GetByteCount(name) >= PflogNameSize)
            return Fail($"ruleset names can only be {PflogNameSize - 1} characters");
        return PflogName(PflogRuleset, name);
    }

    public Block PfRuleNumber(uint n)
    {
        RequirePflog("rnr");
        return Cmp(OffRel.LinkHdr, PflogRulenr, Op.W, n);
    }

    public Block PfSubruleNumber(uint n)
    {
        RequirePflog("srnr");
        return Cmp(OffRel.LinkHdr, PflogSubrulenr, Op.W, n);
    }

    public Block PfReason(uint reason)
    {
        RequirePflog("reason");
        return Cmp(OffRel.LinkHdr, PflogReason, Op.B, reason);
    }

    public Block PfAction(uint action)
    {
        RequirePflog("action");
        return Cmp(OffRel.LinkHdr, PflogAction, Op.B, action);
    }

    /// <summary>pfreason_to_num (checked while parsing, before the link type is).</summary>
    public uint PfReasonNumber(string name)
    {
        int v = Wlan.Lookup(PfReasons, name);
        return v < 0 ? FailNumber($"unknown PF reason \"{name}\"") : (uint)v;
    }

    /// <summary>pfaction_to_num.</summary>
    public uint PfActionNumber(string name)
    {
        int v = Wlan.Lookup(PfActions, name);
        return v < 0 ? FailNumber($"unknown PF action \"{name}\"") : (uint)v;
    }

    private Block PflogDirection(bool outbound) => Cmp(OffRel.LinkHdr, PflogDir, Op.B, outbound ? PfOut : PfIn);
}
