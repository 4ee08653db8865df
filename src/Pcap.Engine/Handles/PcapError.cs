namespace Pcap.Engine.Handles;

/// <summary>libpcap's return codes (pcap/pcap.h).</summary>
public static class PcapError
{
    public const int Error = -1;
    public const int Break = -2;
    public const int NotActivated = -3;
    public const int Activated = -4;
    public const int NoSuchDevice = -5;
    public const int RfmonNotSup = -6;
    public const int NotRfmon = -7;
    public const int PermDenied = -8;
    public const int IfaceNotUp = -9;
    public const int CantSetTstampType = -10;
    public const int PromiscPermDenied = -11;
    public const int TstampPrecisionNotSup = -12;

    public const int Warning = 1;
    public const int WarningPromiscNotSup = 2;
    public const int WarningTstampTypeNotSup = 3;
}

/// <summary>Thrown inside the engine with libpcap's text and code; caught at the ABI boundary.</summary>
public sealed class PcapException(int code, string message) : System.Exception(message)
{
    public int Code { get; } = code;
    public PcapException(string message) : this(PcapError.Error, message) { }
}

/// <summary>pcap_statustostr's texts (pcap.c), shared by the entry points that format status codes.</summary>
public static class PcapStatus
{
    public static string Text(int status) => status switch
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
        _ => $"Unknown error: {status}",
    };
}
