using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Netdb
{
    /// <summary>getnetbyname: struct netent * in static storage; n_net (host order) is at offset 20.</summary>
    [LibraryImport("libc", EntryPoint = "getnetbyname", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* GetNetByName(string name);

    /// <summary>The getXbyY calls return static storage: one caller at a time reads it.</summary>
    internal static readonly object StaticResultLock = new();
}
