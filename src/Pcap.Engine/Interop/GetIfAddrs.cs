using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Libc
{
    /// <summary>struct ifaddrs (LP64).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct IfAddrs
    {
        public IfAddrs* Next;
        public byte* Name;
        public uint Flags;
        public byte* Addr;
        public byte* Netmask;
        public byte* BroadOrDstAddr; // ifa_ifu: broadcast with IFF_BROADCAST, peer with IFF_POINTOPOINT
        public void* Data;
    }

    [LibraryImport("libc", EntryPoint = "getifaddrs", SetLastError = true)]
    internal static partial int GetIfAddrs(IfAddrs** list);
}
