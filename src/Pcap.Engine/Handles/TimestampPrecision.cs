namespace Pcap.Engine.Handles;

public enum TimestampPrecision
{
    Micro = 0,
    Nano = 1,
}
