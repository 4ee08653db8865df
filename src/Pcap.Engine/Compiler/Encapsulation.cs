using System.Collections.Generic;
using Pcap.Engine.Handles;
using Pcap.Engine.Names;

namespace Pcap.Engine.Compiler;

/// <summary>Link-level addresses, broadcast/multicast, direction, VLAN, MPLS, PPPoE, LLC.</summary>
internal sealed partial class CodeGenerator
{
    private static readonly byte[] EtherBroadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

    private Block EtherHostOp(byte[] e, int dir)
    {
        switch (dir)
        {
            case Q.Src: return Bcmp(OffRel.LinkHdr, 6, 6, e);
            case Q.Dst: return Bcmp(OffRel.LinkHdr, 0, 6, e);
            case Q.And: { var b0 = EtherHostOp(e, Q.Src); var b1 = EtherHostOp(e, Q.Dst); And(b0, b1); return b1; }
            case Q.Default: case Q.Or: { var b0 = EtherHostOp(e, Q.Src); var b1 = EtherHostOp(e, Q.Dst); Or(b0, b1); return b1; }
            case Q.Addr1: throw new PcapException("'addr1' and 'address1' are only supported on 802.11 with 802.11 headers");
            case Q.Addr2: throw new PcapException("'addr2' and 'address2' are only supported on 802.11 with 802.11 headers");
            case Q.Addr3: throw new PcapException("'addr3' and 'address3' are only supported on 802.11 with 802.11 headers");
            case Q.Addr4: throw new PcapException("'addr4' and 'address4' are only supported on 802.11 with 802.11 headers");
            case Q.Ra: throw new PcapException("'ra' is only supported on 802.11 with 802.11 headers");
            default: throw new PcapException("'ta' is only supported on 802.11 with 802.11 headers");
        }
    }

    /// <summary>A MAC address on this link type, or libpcap's refusal.</summary>
    private Block MacHost(byte[] e, int dir)
    {
        if (IsEthernetLike)
        {
            var tmp = PrevLinkHdrCheck();
            var b = EtherHostOp(e, dir);
            if (tmp != null) And(tmp, b);
            return b;
        }
        if (IsWlan) return WlanHostOp(e, dir);
        throw new PcapException("ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel");
    }

    /// <summary>gen_ecode: a MAC address.</summary>
    public Block EtherCode(string s, Qual q)
    {
        if ((q.Addr == Q.Host || q.Addr == Q.Default) && q.Proto == Q.Link)
        {
            var e = NameResolver.EtherAton(s);
            return MacHost(e, q.Dir);
        }
        throw new PcapException("ethernet address used in non-ether expression");
    }

    /// <summary>gen_acode: an ARCnet address.</summary>
    public Block ArcnetCode(string s, Qual q)
    {
        // On every link type but ARCnet gen_acode refuses before it looks at the qualifiers.
        throw new PcapException("aid supported only on ARCnet");
    }

    public Block Broadcast(int proto)
    {
        switch (proto)
        {
            case Q.Default: case Q.Link:
                if (IsEthernetLike)
                {
                    var b1 = PrevLinkHdrCheck();
                    var b0 = EtherHostOp(EtherBroadcast, Q.Dst);
                    if (b1 != null) And(b1, b0);
                    return b0;
                }
                if (IsWlan) return WlanHostOp(EtherBroadcast, Q.Dst);
                throw new PcapException("not a broadcast link");
            case Q.Ip:
                {
                    if (_netmask == 0xffffffff) throw new PcapException("netmask not known, so 'ip broadcast' not supported");
                    var b0 = LinkType(EtherTypeIp);
                    uint hostmask = ~_netmask;
                    var b1 = Mcmp(OffRel.LinkPl, 16, Op.W, 0, hostmask);
                    var b2 = Mcmp(OffRel.LinkPl, 16, Op.W, hostmask, hostmask);
                    Or(b1, b2);
                    And(b0, b2);
                    return b2;
                }
        }
        throw new PcapException("only link-layer/IP broadcast filters supported");
    }

    private Block MacMulticast(uint offset) => new(Op.JMP | Op.JSET | Op.K, 1) { Stmts = LoadA(OffRel.LinkHdr, offset, Op.B) };

    public Block Multicast(int proto)
    {
        switch (proto)
        {
            case Q.Default: case Q.Link:
                if (IsEthernetLike)
                {
                    var b1 = PrevLinkHdrCheck();
                    var b0 = MacMulticast(0);
                    if (b1 != null) And(b1, b0);
                    return b0;
                }
                if (IsWlan) return WlanMulticast();
                break;
            case Q.Ip:
                {
                    var b0 = LinkType(EtherTypeIp);
                    var b1 = CmpGe(OffRel.LinkPl, 16, Op.B, 224);
                    And(b0, b1);
                    return b1;
                }
            case Q.Ipv6:
                {
                    var b0 = LinkType(EtherTypeIpv6);
                    var b1 = Cmp(OffRel.LinkPl, 24, Op.B, 255);
                    And(b0, b1);
                    return b1;
                }
        }
        throw new PcapException("link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel");
    }

    private const uint SkfAdOff = 0xfffff000, SkfAdPktType = 4, SkfAdIfindex = 8;

    public Block Inbound(bool outbound)
    {
        Block b0;
        switch (_linkType)
        {
            case Dlt.LinuxSll: b0 = Cmp(OffRel.LinkHdr, 0, Op.H, 4); break;
            case Dlt.LinuxSll2: b0 = Cmp(OffRel.LinkHdr, 10, Op.B, 4); break;
            default:
                // A dead handle has no savefile, so libpcap emits the Linux packet-type extension load.
                b0 = Jmp(Op.JEQ, 4, L(new Stmt(Op.LD | Op.B | Op.ABS, SkfAdOff + SkfAdPktType)));
                break;
        }
        if (!outbound) Not(b0);
        return b0;
    }

    public Block Ifindex(uint ifindex)
    {
        if (_linkType == Dlt.LinuxSll2) return Cmp(OffRel.LinkHdr, 4, Op.W, ifindex);
        return Jmp(Op.JEQ, ifindex, L(new Stmt(Op.LD | Op.W | Op.ABS, SkfAdOff + SkfAdIfindex)));
    }

    // ---- VLAN, MPLS, PPPoE

    private Block VlanTpidTest()
    {
        var b0 = LinkType(EtherType8021Q);
        var b1 = LinkType(EtherType8021AD);
        Or(b0, b1);
        b0 = b1;
        b1 = LinkType(EtherType8021QinQ);
        Or(b0, b1);
        return b1;
    }

    public Block Vlan(uint vlanNum, bool hasTag)
    {
        if (_labelStackDepth > 0) throw new PcapException("no VLAN match after MPLS");
        if (!(IsEthernetLike || _linkType is Dlt.Ieee80211 or Dlt.Ieee80211Radio))
            throw new PcapException($"no VLAN support for {Dlt.Description(_linkType)}");
        var b0 = VlanTpidTest();
        if (hasTag)
        {
            if (vlanNum > 0x0fff) throw new PcapException($"VLAN tag {vlanNum} greater than maximum {0x0fff}");
            var b1 = Mcmp(OffRel.LinkPl, 0, Op.H, vlanNum, 0x0fff);
            And(b0, b1);
            b0 = b1;
        }
        _offLinkPl.ConstantPart += 4;
        _offLinkType.ConstantPart += 4;
        _vlanStackDepth++;
        return b0;
    }

    public Block Mpls(uint label, bool hasLabel)
    {
        Block b0;
        if (_labelStackDepth > 0) b0 = Mcmp(OffRel.PrevMplsHdr, 2, Op.B, 0, 0x01);
        else if (IsEthernetLike || _linkType == Dlt.CHdlc) b0 = LinkType(EtherTypeMpls);
        else if (_linkType == Dlt.Ppp) b0 = LinkType(0x0281);
        else throw new PcapException($"no MPLS support for {Dlt.Description(_linkType)}");
        if (hasLabel)
        {
            if (label > 0xfffff) throw new PcapException($"MPLS label {label} greater than maximum {0xfffff}");
            var b1 = Mcmp(OffRel.LinkPl, 0, Op.W, label << 12, 0xfffff000);
            And(b0, b1);
            b0 = b1;
        }
        _offNlNoSnap += 4;
        _offNl += 4;
        _labelStackDepth++;
        return b0;
    }

    public Block Pppoed() => LinkType(EtherTypePppoed);

    public Block Pppoes(uint sess, bool hasSess)
    {
        var b0 = LinkType(EtherTypePppoes);
        if (hasSess)
        {
            if (sess > 0xffff) throw new PcapException($"PPPoE session number {sess} greater than maximum {0xffff}");
            var b1 = Cmp(OffRel.LinkPl, 2, Op.H, sess);
            And(b0, b1);
            b0 = b1;
        }
        // From here on the link layer is the PPP header inside the PPPoE session; its variable part
        // (802.11) is the payload register, which must exist before it is shared.
        AbsOffsetVarPart(_offLinkPl);
        _prevLinkType = _linkType;
        _offPrevLinkHdr = _offLinkHdr.Copy();
        _linkType = Dlt.Ppp;
        _offLinkHdr = new AbsOffset { IsVariable = _offLinkPl.IsVariable, ConstantPart = _offLinkPl.ConstantPart + _offNl + 6, Reg = _offLinkPl.Reg };
        _offLinkType = _offLinkHdr.Copy();
        _offLinkPl = _offLinkPl.Copy();
        _offLinkPl.ConstantPart = _offLinkHdr.ConstantPart + 2;
        _offNl = 0;
        _offNlNoSnap = 0;
        return b0;
    }

    // ---- LLC

    public Block Llc()
    {
        if (IsEthernetLike)
        {
            var b0 = CmpGt(OffRel.LinkType, 0, Op.H, EtherMtu);
            Not(b0);
            // DSAP and SSAP 0xff is NetWare over raw 802.3, not LLC.
            var b1 = Cmp(OffRel.Llc, 0, Op.H, 0xffff);
            Not(b1);
            And(b0, b1);
            return b1;
        }
        if (_linkType == Dlt.Ieee80211Radio || _linkType == Dlt.Ieee80211)
            return CheckWlanDataFrame();
        if (_linkType is Dlt.Fddi or Dlt.Ieee802) return True();
        throw new PcapException($"'llc' not supported for {Dlt.Description(_linkType)}");
    }

    public Block LlcNamed(string name)
    {
        switch (name.ToLowerInvariant())
        {
            case "i":
                {
                    var b0 = Llc();
                    var b1 = new Block(Op.JMP | Op.JSET | Op.K, 0x01) { Stmts = LoadA(OffRel.Llc, 2, Op.B) };
                    Not(b1);
                    And(b0, b1);
                    return b1;
                }
            case "s":
                {
                    var b0 = Llc();
                    var b1 = Mcmp(OffRel.Llc, 2, Op.B, 0x01, 0x03);
                    And(b0, b1);
                    return b1;
                }
            case "u":
                {
                    var b0 = Llc();
                    var b1 = Mcmp(OffRel.Llc, 2, Op.B, 0x03, 0x03);
                    And(b0, b1);
                    return b1;
                }
        }
        int s = Wlan.Lookup(LlcSSubtypes, name);
        if (s >= 0)
        {
            var b0 = Llc();
            var b1 = Mcmp(OffRel.Llc, 2, Op.B, (uint)s, 0x0f);
            And(b0, b1);
            return b1;
        }
        int u = Wlan.Lookup(LlcUSubtypes, name);
        if (u < 0) throw new PcapException($"unknown LLC type name \"{name}\"");
        {
            var b0 = Llc();
            var b1 = Mcmp(OffRel.Llc, 2, Op.B, (uint)u, 0xef);
            And(b0, b1);
            return b1;
        }
    }

    private static readonly (string, int)[] LlcSSubtypes = [("rr", 0x01), ("rnr", 0x05), ("rej", 0x09)];
    private static readonly (string, int)[] LlcUSubtypes =
        [("ui", 0x03), ("ua", 0x63), ("disc", 0x43), ("dm", 0x0f), ("sabme", 0x6f), ("test", 0xe3), ("xid", 0xaf), ("frmr", 0x87)];
}
