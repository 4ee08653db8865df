using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;
using Pcap.Engine.Savefiles.Writing;

namespace Pcap.Native.Abi;

/// <summary>
/// pcap_dump_open(3PCAP): pcap_dump_open, pcap_dump_open_append, pcap_dump_fopen. The returned
/// pcap_dumper_t * is the FILE * written to; the per-packet calls are C (native-build/shim/pcap-dump.c).
/// On failure: NULL, with libpcap's text in the handle's error buffer.
/// </summary>
static unsafe class DumpOpen
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_dump_open")]
    public static IntPtr PcapDumpOpen(IntPtr p, byte* fname)
    {
        try { return Dumper.Open(Handle.FromPcap(p), fname); }
        catch (Exception e) { Boundary.Fail(p, e); return IntPtr.Zero; }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_dump_open_append")]
    public static IntPtr PcapDumpOpenAppend(IntPtr p, byte* fname)
    {
        try { return Dumper.OpenAppend(Handle.FromPcap(p), fname); }
        catch (Exception e) { Boundary.Fail(p, e); return IntPtr.Zero; }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_dump_fopen")]
    public static IntPtr PcapDumpFopen(IntPtr p, IntPtr stream)
    {
        try { return Dumper.FromStream(Handle.FromPcap(p), stream); }
        catch (Exception e) { Boundary.Fail(p, e); return IntPtr.Zero; }
    }
}
