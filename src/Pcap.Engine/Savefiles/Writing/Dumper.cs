using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;
using Pcap.Engine.LinkTypes;

namespace Pcap.Engine.Savefiles.Writing;

/// <summary>
/// Opens savefiles for writing (pcap_dump_open, pcap_dump_open_append, pcap_dump_fopen). The dumper
/// handed to C is the stdio FILE * itself, as in libpcap, so the per-packet calls (pcap_dump,
/// pcap_dump_flush, ...) are plain C on that FILE *. Failures throw libpcap's text.
/// </summary>
public static unsafe class Dumper
{
    static readonly byte* WriteMode = Utf8("wb");
    static readonly byte* AppendMode = Utf8("ab+");

    /// <summary>pcap_dump_open: a new file at <paramref name="path"/>, or standard output for "-".</summary>
    public static IntPtr Open(Handle handle, byte* path)
    {
        string name = Name(path);
        // A handle that is not activated has no link type yet.
        if (!handle.Activated)
            throw new PcapException($"{name}: not-yet-activated pcap_t passed to pcap_dump_open");
        int linkType = SupportedLinkType(handle, name) | handle.LinkTypeExt;
        if (path == null)
            throw new PcapException("A null pointer was supplied as the file name");
        if (IsStandardOutput(path))
            return Start(handle, linkType, Stdio.Stdout, "standard output");
        IntPtr stream = Stdio.Fopen(path, WriteMode);
        if (stream == IntPtr.Zero)
            throw Errno(name);
        Shim.SavefileBuffer(stream);
        return Start(handle, linkType, stream, name);
    }

    /// <summary>pcap_dump_fopen: writes to a stream the caller opened; it is closed on failure.</summary>
    public static IntPtr FromStream(Handle handle, IntPtr stream)
    {
        int linkType = SupportedLinkType(handle, "stream") | handle.LinkTypeExt;
        return Start(handle, linkType, stream, "stream");
    }

    /// <summary>
    /// pcap_dump_open_append: appends to an existing savefile after checking that its header matches the
    /// handle (magic, byte order, version, link type, snap length, precision); an empty or missing file
    /// gets a new header.
    /// </summary>
    public static IntPtr OpenAppend(Handle handle, byte* path)
    {
        string name = Name(path);
        int linkType = LinkTypeMap.FromDlt(handle.LinkType);
        // libpcap 1.10.3 prints the failed mapping's result (-1), not the handle's link type: a plain
        // libpcap bug, kept because the text is what clients see.
        if (linkType == -1)
            throw new PcapException($"{name}: link-layer type -1 isn't supported in savefiles");
        if (path == null)
            throw new PcapException("A null pointer was supplied as the file name");
        if (IsStandardOutput(path))
            return Start(handle, linkType, Stdio.Stdout, "standard output");

        IntPtr stream = Stdio.Fopen(path, AppendMode);
        if (stream == IntPtr.Zero)
            throw Errno(name);
        Shim.SavefileBuffer(stream);
        try
        {
            if (Stdio.Fseek(stream, 0, Stdio.SeekSet) == -1)
                throw Errno($"Can't seek to the beginning of {name}");
            SavefileHeader existing;
            nuint got = Stdio.Fread(&existing, 1, (nuint)sizeof(SavefileHeader), stream);
            if (got != (nuint)sizeof(SavefileHeader))
            {
                if (Stdio.Ferror(stream) != 0)
                    throw Errno(name);
                if (got > 0)
                    throw new PcapException($"{name}: truncated pcap file header");
            }
            if (got > 0)
                CheckAppendable(handle, existing, linkType, name);
            else if (!SavefileHeader.For(handle, linkType).WriteTo(stream))
                throw Errno($"Can't write to {name}");
            if (Stdio.Fseek(stream, 0, Stdio.SeekEnd) == -1)
                throw Errno($"Can't seek to the end of {name}");
            return stream;
        }
        catch
        {
            Shim.DumpClose(stream);
            throw;
        }
    }

    static void CheckAppendable(Handle handle, in SavefileHeader existing, int linkType, string name)
    {
        switch (existing.Magic)
        {
            case SavefileHeader.MicroMagic when handle.Precision != TimestampPrecision.Micro:
            case SavefileHeader.NanoMagic when handle.Precision != TimestampPrecision.Nano:
                throw new PcapException($"{name}: different time stamp precision, cannot append to file");
            case SavefileHeader.MicroMagic:
            case SavefileHeader.NanoMagic:
                break;
            case var m when m == Swap(SavefileHeader.MicroMagic) || m == Swap(SavefileHeader.NanoMagic):
                throw new PcapException($"{name}: different byte order, cannot append to file");
            case var m when m == SavefileHeader.KuznetzovMagic || m == Swap(SavefileHeader.KuznetzovMagic)
                         || m == SavefileHeader.NavtelMagic || m == Swap(SavefileHeader.NavtelMagic):
                throw new PcapException($"{name}: not a pcap file to which we can append");
            default:
                throw new PcapException($"{name}: not a pcap file");
        }
        if (existing.Major != SavefileHeader.VersionMajor || existing.Minor != SavefileHeader.VersionMinor)
            throw new PcapException($"{name}: version is {existing.Major}.{existing.Minor}, cannot append to file");
        // The stored field is compared whole: FCS-length bits in it make the link types differ.
        if (existing.LinkType != (uint)linkType)
            throw new PcapException($"{name}: different linktype, cannot append to file");
        if (existing.SnapLen != (uint)handle.Snapshot)
            throw new PcapException($"{name}: different snaplen, cannot append to file");
    }

    static IntPtr Start(Handle handle, int linkType, IntPtr stream, string name)
    {
        if (SavefileHeader.For(handle, linkType).WriteTo(stream))
            return stream;
        var error = Errno($"Can't write to {name}");
        if (stream != Stdio.Stdout)
            Shim.DumpClose(stream);
        throw error;
    }

    static int SupportedLinkType(Handle handle, string name)
    {
        int linkType = LinkTypeMap.FromDlt(handle.LinkType);
        if (linkType == -1)
            throw new PcapException($"{name}: link-layer type {handle.LinkType} isn't supported in savefiles");
        return linkType;
    }

    static bool IsStandardOutput(byte* path) => path[0] == (byte)'-' && path[1] == 0;

    // libpcap formats a NULL name with printf's "%s", which glibc prints as "(null)".
    static string Name(byte* path) => path == null ? "(null)" : Marshal.PtrToStringUTF8((IntPtr)path)!;

    // pcap_fmt_errmsg_for_errno: "<text>: <strerror(errno)>".
    static PcapException Errno(string text) =>
        new($"{text}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");

    static uint Swap(uint v) => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v);

    static byte* Utf8(string s) => (byte*)Marshal.StringToCoTaskMemUTF8(s);
}
