using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Netdb
{
    /// <summary>getprotobyname: struct protoent * in static storage; p_proto is at offset 16.</summary>
    [LibraryImport("libc", EntryPoint = "getprotobyname", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* GetProtoByName(string name);
}
