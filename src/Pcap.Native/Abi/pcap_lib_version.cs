using System.Runtime.InteropServices;

namespace Pcap.Native.Abi;

/// <summary>pcap_lib_version(3PCAP). Clients parse the "libpcap version X.Y.Z" prefix.</summary>
static unsafe class LibVersion
{
    static readonly byte* Text = (byte*)Marshal.StringToCoTaskMemUTF8(
        "libpcap version 1.10.3 (Pcap: C# NativeAOT; savefiles pcap, pcapng)");

    [UnmanagedCallersOnly(EntryPoint = "pcap_lib_version")]
    public static byte* PcapLibVersion() => Text;
}
