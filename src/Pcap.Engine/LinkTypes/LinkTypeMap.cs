namespace Pcap.Engine.LinkTypes;

/// <summary>
/// libpcap 1.10's linktype_to_dlt (pcap-common.c) on Linux: the LINKTYPE_ value a savefile stores to the
/// DLT_ value a program sees. Only the LINKTYPE_ values whose DLT_ differs on Linux are remapped; every
/// other value passes through, as libpcap does (checked against the system libpcap for 0..70000).
/// And dlt_to_linktype, the other way, for savefile writers.
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

    /// <summary>
    /// libpcap 1.10's dlt_to_linktype on Linux: the LINKTYPE_ value a dumper writes for a DLT_ value, or
    /// -1 where libpcap refuses the DLT_ in savefiles (checked against the system libpcap for -5..70000).
    /// </summary>
    public static int FromDlt(int dlt) => dlt switch
    {
        >= 0 and <= 10 => dlt,     // DLT_NULL .. DLT_FDDI
        11 => 100,                 // DLT_ATM_RFC1483
        12 => 101,                 // DLT_RAW (Linux value)
        15 => 102,                 // DLT_SLIP_BSDOS
        16 => 103,                 // DLT_PPP_BSDOS
        19 => 106,                 // DLT_ATM_CLIP
        50 or 51 => dlt,           // DLT_PPP_SERIAL, DLT_PPP_ETHER
        99 => dlt,                 // DLT_SYMANTEC_FIREWALL
        >= 104 and <= 289 => dlt,  // the range where DLT_ and LINKTYPE_ values are equal
        _ => -1,
    };
}
