using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Netdb
{
    /// <summary>struct addrinfo (LP64).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct AddrInfo
    {
        public int Flags, Family, SockType, Protocol;
        public uint AddrLen;
        public byte* Addr;
        public byte* CanonName;
        public AddrInfo* Next;
    }

    internal const int AfInet = 2, AfInet6 = 10, SockStream = 1, IpProtoTcp = 6, AiNumericHost = 4;

    [LibraryImport("libc", EntryPoint = "getaddrinfo", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int GetAddrInfo(string? node, string? service, AddrInfo* hints, AddrInfo** res);
}
