global using static Pcap.Engine.LinkTypes.DltValues;

namespace Pcap.Engine.LinkTypes;

/// <summary>The DLT_ values (pcap/dlt.h, Linux) the capture modules and savefiles name; in scope in every file.</summary>
public static class DltValues
{
    public const int DltNull = 0, DltEn10Mb = 1, DltRaw = 12, DltIeee80211 = 105, DltLinuxSll = 113, DltPflog = 117,
        DltPrismHeader = 119, DltIeee80211Radio = 127, DltDocsis = 143, DltIeee80211RadioAvs = 163, DltUsbLinux = 189,
        DltBluetoothHciH4WithPhdr = 201, DltUsbLinuxMmapped = 220, DltIpv4 = 228, DltIpv6 = 229, DltDbus = 231,
        DltNflog = 239, DltBluetoothLinuxMonitor = 254, DltLinuxSll2 = 276;
}
