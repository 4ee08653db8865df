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

