using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Pcap.Native.Abi;

/// <summary>
/// Constant strings handed to C (table names, descriptions, status texts): each is laid out once in
/// malloc'd memory and stays valid for the life of the process, as libpcap's string literals do.
/// </summary>
static unsafe class NativeText
{
    static readonly ConcurrentDictionary<string, nint> Strings = new();

    public static byte* Of(string? text) =>
        text == null ? null : (byte*)Strings.GetOrAdd(text, t => Marshal.StringToCoTaskMemUTF8(t));
}
