namespace Pcap.Engine.Handles;

/// <summary>libpcap 1.10.3's time-stamp types (PCAP_TSTAMP_*): value, name, description.</summary>
public static class TimestampTypes
{
    public const int Host = 0, HostLowPrec = 1, HostHiPrec = 2, Adapter = 3, AdapterUnsynced = 4, HostHiPrecUnsynced = 5;

    public readonly record struct Entry(int Value, string Name, string Description);

    public static readonly Entry[] Entries =
    [
        new(Host, "host", "Host"),
        new(HostLowPrec, "host_lowprec", "Host, low precision"),
        new(HostHiPrec, "host_hiprec", "Host, high precision"),
        new(Adapter, "adapter", "Adapter"),
        new(AdapterUnsynced, "adapter_unsynced", "Adapter, not synced with system time"),
        new(HostHiPrecUnsynced, "host_hiprec_unsynced", "Host, high precision, not synced with system time"),
    ];

    /// <summary>The value for a name (ASCII case ignored), or PCAP_ERROR.</summary>
    public static int Value(string name)
    {
        foreach (var e in Entries)
            if (System.Text.Ascii.EqualsIgnoreCase(e.Name, name)) return e.Value;
        return PcapError.Error;
    }

    public static Entry? Find(int value)
    {
        foreach (var e in Entries)
            if (e.Value == value) return e;
        return null;
    }
}
