using System.Runtime.InteropServices;

namespace Pcap.Native.Abi;

/// <summary>
/// pcap_lib_version(3PCAP). Clients parse the "libpcap version X.Y.Z" prefix (SharpPcap turns features
/// off without it); our library and its capture modules are named in the parentheses after it.
/// </summary>
static unsafe class LibVersion
{
    static readonly byte* Text = (byte*)Marshal.StringToCoTaskMemUTF8(
        "libpcap version 1.10.3 (Pcap: C# NativeAOT; capture modules netmap (API 14), linux (with TPACKET_V3); savefiles pcap, pcapng)");

    [UnmanagedCallersOnly(EntryPoint = "pcap_lib_version")]
    public static byte* PcapLibVersion() => Text;
}
