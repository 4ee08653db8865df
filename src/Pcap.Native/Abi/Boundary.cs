using System;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>
/// The rule of every exported function: no exception crosses it. Failures become libpcap's
/// error text in the handle or the caller's errbuf, and libpcap's return code.
/// </summary>
static unsafe class Boundary
{
    public const int ErrbufSize = 256; // PCAP_ERRBUF_SIZE

    public static int Fail(IntPtr p, Exception e)
    {
        try
        {
            var handle = Handle.FromPcap(p);
            handle.Error = e.Message;
        }
        catch (Exception)
        {
            // Not one of our handles: nothing to write the text into.
        }
        return e is PcapException pe ? pe.Code : PcapError.Error;
    }

    public static void WriteErrbuf(byte* errbuf, string text) => HandleBlock.WriteText(errbuf, ErrbufSize, text);

    public static int Fail(byte* errbuf, Exception e)
    {
        WriteErrbuf(errbuf, e.Message);
        return e is PcapException pe ? pe.Code : PcapError.Error;
    }
}
