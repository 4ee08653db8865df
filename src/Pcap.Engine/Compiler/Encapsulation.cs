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
            case Q.Addr1: return Fail("'addr1' and 'address1' are only supported on 802.11 with 802.11 headers");
            case Q.Addr2: return Fail("'addr2' and 'address2' are only supported on 802.11 with 802.11 headers");
            case Q.Addr3: return Fail("'addr3' and 'address3' are only supported on 802.11 with 802.11 headers");
            case Q.Addr4: return Fail("'addr4' and 'address4' are only supported on 802.11 with 802.11 headers");
            case Q.Ra: return Fail("'ra' is only supported on 802.11 with 802.11 headers");
            default: return Fail("'ta' is only supported on 802.11 with 802.11 headers");
        }
    }

    /// <summary>gen_fhostop, gen_thostop, gen_ipfchostop: FDDI, token ring and Fibre Channel addresses at their offsets.</summary>
    private Block MacHostAt(byte[] e, int dir, uint srcOff, uint dstOff)
    {
        switch (dir)
        {
            case Q.Src: return Bcmp(OffRel.LinkHdr, srcOff, 6, e);
            case Q.Dst: return Bcmp(OffRel.LinkHdr, dstOff, 6, e);
            case Q.And: { var b0 = MacHostAt(e, Q.Src, srcOff, dstOff); var b1 = MacHostAt(e, Q.Dst, srcOff, dstOff); And(b0, b1); return b1; }
            case Q.Default: case Q.Or: { var b0 = MacHostAt(e, Q.Src, srcOff, dstOff); var b1 = MacHostAt(e, Q.Dst, srcOff, dstOff); Or(b0, b1); return b1; }
            default: return Fail(OnlyOn80211(dir));
        }
    }

    /// <summary>Whether this link type has MAC addresses libpcap can test (gen_ecode's and gen_scode's list).</summary>
    private bool HasMacAddresses => IsEthernetLike || IsWlan || _linkType is Dlt.Fddi or Dlt.Ieee802 or Dlt.IpOverFc;

    /// <summary>A MAC address on this link type (call only where <see cref="HasMacAddresses"/>).</summary>
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
        return _linkType switch
        {
            // FDDI: frame control byte first (a savefile's padding is 0 on Linux).
            Dlt.Fddi => MacHostAt(e, dir, 7, 1),
            // Token ring: access control and frame control bytes first.
            Dlt.Ieee802 => MacHostAt(e, dir, 8, 2),
            _ => MacHostAt(e, dir, 10, 2),
        };
    }

    /// <summary>gen_ecode: a MAC address.</summary>
    public Block EtherCode(string s, Qual q)
    {
        if ((q.Addr == Q.Host || q.Addr == Q.Default) && q.Proto == Q.Link)
        {
            var e = NameResolver.EtherAton(s);
            if (!HasMacAddresses) return Fail("ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel");
            return MacHost(e, q.Dir);
        }
        return Fail("ethernet address used in non-ether expression");
    }

    public Block Broadcast(int proto)
    {
        switch (proto)
        {
            case Q.Default: case Q.Link:
                if (IsArcnet) return ArcnetHostOp(ArcnetBroadcast, Q.Dst);
                if (HasMacAddresses) return MacHost(EtherBroadcast, Q.Dst);
                return Fail("not a broadcast link");
            case Q.Ip:
                {
                    if (_netmask == 0xffffffff) return Fail("netmask not known, so 'ip broadcast' not supported");
                    var b0 = LinkType(EtherTypeIp);
                    uint hostmask = ~_netmask;
                    var b1 = Mcmp(OffRel.LinkPl, 16, Op.W, 0, hostmask);
                    var b2 = Mcmp(OffRel.LinkPl, 16, Op.W, hostmask, hostmask);
                    Or(b1, b2);
                    And(b0, b2);
                    return b2;
                }
        }
        return Fail("only link-layer/IP broadcast filters supported");
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
                // ARCnet: libpcap tests for the broadcast address.
                if (IsArcnet) return ArcnetHostOp(ArcnetBroadcast, Q.Dst);
                if (_linkType == Dlt.Fddi) return MacMulticast(1);
                if (_linkType == Dlt.Ieee802) return MacMulticast(2);
                if (_linkType == Dlt.IpOverFc) return MacMulticast(2);
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
        return Fail("link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel");
    }

    private const uint SkfAdOff = 0xfffff000, SkfAdPktType = 4, SkfAdIfindex = 8;

    public Block Inbound(bool outbound)
    {
        Block b0;
        if (IsJuniper(_linkType)) return JuniperDirection(outbound);
        switch (_linkType)
        {
            case Dlt.LinuxSll: b0 = Cmp(OffRel.LinkHdr, 0, Op.H, 4); break;
            case Dlt.LinuxSll2: b0 = Cmp(OffRel.LinkHdr, 10, Op.B, 4); break;
            // These tests say "outbound" or "inbound" themselves: no negation below.
            case Dlt.Slip: return SlipDirection(outbound);
            case Dlt.Ipnet: return Cmp(OffRel.LinkHdr, 2, Op.H, outbound ? IpnetOutbound : IpnetInbound);
            case Dlt.Pflog: return PflogDirection(outbound);
            case Dlt.PppPppd: return Cmp(OffRel.LinkHdr, 0, Op.B, outbound ? 1u : 0u);
            default:
                // A dead handle has no savefile, so libpcap emits the Linux packet-type extension load
                // (PACKET_OUTGOING), relative to the link-layer header as any link-header load.
                b0 = Cmp(OffRel.LinkHdr, SkfAdOff + SkfAdPktType, Op.H, 4);
                break;
        }
        if (!outbound) Not(b0);
        return b0;
    }

    private const uint IpnetOutbound = 1, IpnetInbound = 2;

    /// <summary>SLIP's direction byte, compared as libpcap does it: link[0] = 0 (inbound) through gen_relation.</summary>
    private Block SlipDirection(bool outbound) => Relation(Op.JEQ, Load(Q.Link, LoadImmediate(0), 1), LoadImmediate(0), outbound);

    public Block Ifindex(uint ifindex)
    {
        if (_linkType == Dlt.LinuxSll2) return Cmp(OffRel.LinkHdr, 4, Op.W, ifindex);
        return Cmp(OffRel.LinkHdr, SkfAdOff + SkfAdIfindex, Op.W, ifindex);
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
        if (_labelStackDepth > 0) return Fail("no VLAN match after MPLS");
        if (!(IsEthernetLike || _linkType is Dlt.Ieee80211 or Dlt.PrismHeader or Dlt.IeeeRadioAvs or Dlt.Ieee80211Radio))
            return Fail($"no VLAN support for {Dlt.Description(_linkType)}");
        var b0 = VlanTpidTest();
        if (hasTag)
        {
            if (vlanNum > 0x0fff) return Fail($"VLAN tag {vlanNum} greater than maximum {0x0fff}");
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
        else if (IsEthernetLike || _linkType is Dlt.CHdlc or Dlt.Hdlc) b0 = LinkType(EtherTypeMpls);
        else if (_linkType == Dlt.Ppp) b0 = LinkType(PppMplsUcast);
        else return Fail($"no MPLS support for {Dlt.Description(_linkType)}");
        if (hasLabel)
        {
            if (label > 0xfffff) return Fail($"MPLS label {label} greater than maximum {0xfffff}");
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
            if (sess > 0xffff) return Fail($"PPPoE session number {sess} greater than maximum {0xffff}");
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
        if (_linkType == Dlt.En10Mb)
        {
            var b0 = CmpGt(OffRel.LinkType, 0, Op.H, EtherMtu);
            Not(b0);
            // DSAP and SSAP 0xff is NetWare over raw 802.3, not LLC.
            var b1 = Cmp(OffRel.Llc, 0, Op.H, 0xffff);
            Not(b1);
            And(b0, b1);
            return b1;
        }
        if (IsWlan) return CheckWlanDataFrame();
        if (_linkType is Dlt.Fddi or Dlt.Ieee802 or Dlt.AtmRfc1483) return True();
        if (_linkType == Dlt.SunAtm) return AtmLlc();
        return Fail($"'llc' not supported for {Dlt.Description(_linkType)}");
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
        if (u < 0) return Fail($"unknown LLC type name \"{name}\"");
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
