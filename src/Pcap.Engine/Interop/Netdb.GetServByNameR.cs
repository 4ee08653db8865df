using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static unsafe partial class Netdb
{
    /// <summary>struct servent (LP64): s_port, in network order, is at offset 16.</summary>
    internal const int ServentSize = 32, ServentPortOffset = 16;

    /// <summary>getservbyname_r: 0 with *result set, 0 with *result null (not found), or an errno (ERANGE: buffer too small).</summary>
    [LibraryImport("libc", EntryPoint = "getservbyname_r", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int GetServByNameR(string name, string proto, byte* resultBuf, byte* buf, nuint bufLen, byte** result);
}
