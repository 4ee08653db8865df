using System;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Savefiles;

// What a savefile answers in libpcap's op table (savefile.c's sf_* ops): no injection, direction or
// non-blocking mode; its descriptor is the stream's for select, -1 for pcap_fileno.
public abstract unsafe partial class SavefileHandle
{
    protected override int InjectOp(byte* frame, int length) => Refuse("Sending packets isn't supported on savefiles");

    protected override int SetDirectionOp(int direction) => Refuse("Setting direction is not supported on savefiles");

    protected override int SetNonblockOp(bool nonblock) => Refuse("Savefiles cannot be put into non-blocking mode");

    /// <summary>Savefiles never block.</summary>
    protected override int GetNonblockOp() => 0;

    /// <summary>The stream's descriptor, so a program can select on it.</summary>
    public override int SelectableFd => Interop.FileDescriptor.Of(File);

    /// <summary>libpcap 1.10.3 never sets a savefile's descriptor: pcap_fileno gives -1.</summary>
    public override int FileNo => -1;

    /// <summary>pcap_file: from now on the reader follows the stream the program may move.</summary>
    public override IntPtr StdioFile => HandOutFile();

    public override bool SwappedBytes => Swapped;

    public override int FormatVersion(bool major) => major ? MajorVersion : MinorVersion;

    int Refuse(string text)
    {
        Error = text;
        return PcapError.Error;
    }
}
