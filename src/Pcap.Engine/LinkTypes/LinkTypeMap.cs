namespace Pcap.Engine.LinkTypes;

/// <summary>
/// libpcap 1.10's linktype_to_dlt (pcap-common.c) on Linux: the LINKTYPE_ value a savefile stores to the
/// DLT_ value a program sees. Only the LINKTYPE_ values whose DLT_ differs on Linux are remapped; every
/// other value passes through, as libpcap does (checked against the system libpcap for 0..70000).
/// </summary>
public static class LinkTypeMap
{
    public static int ToDlt(int linkType) => linkType switch
    {
        100 => 11,  // LINKTYPE_ATM_RFC1483 -> DLT_ATM_RFC1483
        101 => 12,  // LINKTYPE_RAW -> DLT_RAW
        102 => 15,  // LINKTYPE_SLIP_BSDOS -> DLT_SLIP_BSDOS
        103 => 16,  // LINKTYPE_PPP_BSDOS -> DLT_PPP_BSDOS
        106 => 19,  // LINKTYPE_ATM_CLIP -> DLT_ATM_CLIP
        _ => linkType,
    };
}
