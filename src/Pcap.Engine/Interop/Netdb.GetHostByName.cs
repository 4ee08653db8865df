using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Netdb
{
    /// <summary>gethostbyname: struct hostent * in static storage; h_addr_list is at offset 24.</summary>
    [LibraryImport("libc", EntryPoint = "gethostbyname", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* GetHostByName(string name);
}
