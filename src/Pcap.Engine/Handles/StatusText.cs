namespace Pcap.Engine.Handles;

/// <summary>pcap_statustostr's texts for libpcap's status codes.</summary>
public static class StatusText
{
    /// <summary>The text pcap_statustostr gives, "Unknown error: N" for a code libpcap does not know.</summary>
    public static string Of(int status) =>
        Known(status) ?? "Unknown error: " + status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>libpcap's constant text for a status code, or null for a code it does not know.</summary>
    public static string? Known(int status) => status switch
    {
        PcapError.Warning => "Generic warning",
        PcapError.WarningTstampTypeNotSup => "That type of time stamp is not supported by that device",
        PcapError.WarningPromiscNotSup => "That device doesn't support promiscuous mode",
        PcapError.Error => "Generic error",
        PcapError.Break => "Loop terminated by pcap_breakloop",
        PcapError.NotActivated => "The pcap_t has not been activated",
        PcapError.Activated => "The setting can't be changed after the pcap_t is activated",
        PcapError.NoSuchDevice => "No such device exists",
        PcapError.RfmonNotSup => "That device doesn't support monitor mode",
        PcapError.NotRfmon => "That operation is supported only in monitor mode",
        PcapError.PermDenied => "You don't have permission to perform this capture on that device",
        PcapError.IfaceNotUp => "That device is not up",
        PcapError.CantSetTstampType => "That device doesn't support setting the time stamp type",
        PcapError.PromiscPermDenied => "You don't have permission to capture in promiscuous mode on that device",
        PcapError.TstampPrecisionNotSup => "That device doesn't support that time stamp precision",
        _ => null,
    };
}

/// <summary>pcap_strerror: the C library's text for an errno value.</summary>
public static unsafe class ErrnoText
{
    /// <summary>The text, written into <paramref name="buffer"/> or a static string of the C library.</summary>
    public static byte* Of(int errnum, byte* buffer, int length) => Interop.Strings.StrerrorR(errnum, buffer, (nuint)length);
}
