using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Savefiles.Writing;

/// <summary>The 24-byte pcap file header (struct pcap_file_header), in the machine's byte order.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct SavefileHeader
{
    public const uint MicroMagic = 0xa1b2c3d4;
    public const uint NanoMagic = 0xa1b23c4d;
    public const uint KuznetzovMagic = 0xa1b2cd34;
    public const uint NavtelMagic = 0xa12b3c4d;
    public const ushort VersionMajor = 2;
    public const ushort VersionMinor = 4;

    public uint Magic;
    public ushort Major;
    public ushort Minor;
    public int ThisZone;
    public uint SigFigs;
    public uint SnapLen;
    public uint LinkType;

    public static SavefileHeader For(Handle handle, int linkType) => new()
    {
        Magic = handle.Precision == TimestampPrecision.Nano ? NanoMagic : MicroMagic,
        Major = VersionMajor,
        Minor = VersionMinor,
        SnapLen = (uint)handle.Snapshot,
        LinkType = (uint)linkType,
    };

    /// <summary>Writes the header into the stream's buffer; false (errno set) when fwrite fails.</summary>
    public readonly unsafe bool WriteTo(IntPtr stream)
    {
        var copy = this;
        return Stdio.Fwrite(&copy, (nuint)sizeof(SavefileHeader), 1, stream) == 1;
    }
}
