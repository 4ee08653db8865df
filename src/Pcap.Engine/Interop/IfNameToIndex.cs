using System.Runtime.InteropServices;

namespace Pcap.Engine.Interop;

internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "if_nametoindex", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial uint IfNameToIndex(string name);
}
