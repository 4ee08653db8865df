namespace Pcap.Engine.Savefiles.Writing;

/// <summary>
/// The LINKTYPE_ value a savefile header stores for a handle's DLT_ value, as libpcap 1.10's
/// dlt_to_linktype maps them on Linux (checked against the system libpcap for every value from -5 to
/// 70000 by compat-tests/conformance).
/// </summary>
public static class SavefileLinkType
{
    /// <summary>The LINKTYPE_ value, or -1 when libpcap refuses the DLT_ value in savefiles.</summary>
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
