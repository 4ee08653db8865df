namespace Pcap.Engine.LinkTypes;

/// <summary>libpcap 1.10's snapshot-length limits per link type (max_snaplen_for_dlt, pcap_adjust_snapshot).</summary>
public static class SnapLength
{
    /// <summary>MAXIMUM_SNAPLEN: the largest snapshot length for most link types.</summary>
    public const int Maximum = 262144;

    /// <summary>The largest packet libpcap accepts for a DLT_ value; bigger records are "bogus".</summary>
    public static uint MaxForDlt(int dlt) => dlt switch
    {
        231 => 128 * 1024 * 1024, // DLT_DBUS: D-Bus messages can be up to 128 MiB
        279 => 8 * 1024 * 1024,   // DLT_EBHSCR
        249 => 1024 * 1024,       // DLT_USBPCAP
        _ => Maximum,
    };

    /// <summary>
    /// pcap_adjust_snapshot: a savefile's snapshot length of 0 or above INT_MAX is bogus and becomes the
    /// link type's maximum; anything else is kept as it is, even above the maximum, as libpcap 1.10 does.
    /// </summary>
    public static int Adjust(int dlt, uint snapLength) =>
        snapLength == 0 || snapLength > int.MaxValue ? (int)MaxForDlt(dlt) : (int)snapLength;
}
