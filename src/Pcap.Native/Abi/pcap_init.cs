using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_init(3PCAP): the character encoding of strings; a second call may not change it.</summary>
static unsafe class Init
{
    const uint CharEncLocal = 0, CharEncUtf8 = 1;
    static bool initialized, utf8;

    /// <summary>pcap_init was called: libpcap's "new API" mode, in which pcap_lookupdev is refused.</summary>
    internal static bool Called => initialized;

    [UnmanagedCallersOnly(EntryPoint = "pcap_init")]
    public static int PcapInit(uint opts, byte* errbuf)
    {
        if (opts is not (CharEncLocal or CharEncUtf8))
        {
            Boundary.WriteErrbuf(errbuf, "Unknown options specified");
            return PcapError.Error;
        }
        bool wantUtf8 = opts == CharEncUtf8;
        if (initialized && utf8 != wantUtf8)
        {
            Boundary.WriteErrbuf(errbuf, "Multiple pcap_init calls with different character encodings");
            return PcapError.Error;
        }
        initialized = true;
        utf8 = wantUtf8;
        return 0;
    }
}
