using System;
using System.Runtime.InteropServices;

namespace Pcap.Engine.Names;

/// <summary>The C library's resolvers (netdb.h, netinet/ether.h).</summary>
internal static unsafe partial class Libc
{
    [StructLayout(LayoutKind.Sequential)]
    public struct AddrInfo
    {
        public int Flags, Family, SockType, Protocol;
        public uint AddrLen;
        public byte* Addr;
        public byte* CanonName;
        public AddrInfo* Next;
    }

    public const int AfInet = 2, AfInet6 = 10, SockStream = 1, IpProtoTcp = 6;

    [LibraryImport("libc", EntryPoint = "getaddrinfo", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GetAddrInfo(string? node, string? service, AddrInfo* hints, AddrInfo** res);

    [LibraryImport("libc", EntryPoint = "freeaddrinfo")]
    public static partial void FreeAddrInfo(AddrInfo* res);

    /// <summary>struct netent*: n_net (host order) is at offset 20.</summary>
    [LibraryImport("libc", EntryPoint = "getnetbyname", StringMarshalling = StringMarshalling.Utf8)]
    public static partial byte* GetNetByName(string name);

    /// <summary>struct servent*: s_port (network order) is at offset 16.</summary>
    [LibraryImport("libc", EntryPoint = "getservbyname", StringMarshalling = StringMarshalling.Utf8)]
    public static partial byte* GetServByName(string name, string proto);

    /// <summary>struct protoent*: p_proto is at offset 16.</summary>
    [LibraryImport("libc", EntryPoint = "getprotobyname", StringMarshalling = StringMarshalling.Utf8)]
    public static partial byte* GetProtoByName(string name);

    [LibraryImport("libc", EntryPoint = "ether_hostton", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int EtherHostton(string hostname, byte* addr);

    /// <summary>getXbyY keep their result in static storage, so callers hold this lock while reading it.</summary>
    public static readonly object NetdbLock = new();
}
