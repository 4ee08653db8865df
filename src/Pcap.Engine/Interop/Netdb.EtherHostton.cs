using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Netdb
{
    /// <summary>ether_hostton: /etc/ethers (and NSS) name to MAC address; 0 when found.</summary>
    [LibraryImport("libc", EntryPoint = "ether_hostton", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int EtherHostton(string hostname, byte* addr);
}
