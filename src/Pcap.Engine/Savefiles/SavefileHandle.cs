using System;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Savefiles;

/// <summary>
/// A handle reading a savefile (libpcap's savefile.c): the read loop of pcap_offline_read over the
/// format's next-packet step, with the break flag checked before every packet and the filter run on each.
/// </summary>
public abstract unsafe class SavefileHandle : Handle
{
    private protected readonly SavefileInput Input;

    private protected SavefileHandle(SavefileInput input, TimestampPrecision precision)
    {
        Input = input;
        Precision = precision;
        Block->StatsSource = StatsSource.Savefile;
        Activated = true;
    }

    public override bool IsSavefile => true;

    /// <summary>The <c>FILE *</c> the savefile is read from (pcap_file).</summary>
    public IntPtr File => Input.File;

    /// <summary>pcap_is_swapped: the file was written in the other byte order.</summary>
    public bool Swapped { get; private protected set; }

    public int MajorVersion { get; private protected set; }
    public int MinorVersion { get; private protected set; }

    int bufferSize;

    /// <summary>The size libpcap's own packet buffer would have now: pcap_bufsize shows it.</summary>
    public override int BufferSize => bufferSize;

    private protected void SetBufferSize(int size) => bufferSize = size;

    /// <summary>
    /// libpcap's next_packet_op: the next record's header and a pointer to its bytes (in the read buffer).
    /// Returns 1, or 0 at end of file; throws <see cref="PcapException"/> with libpcap's text on a bad record.
    /// </summary>
    private protected abstract int NextPacket(PacketHeader* header, out byte* data);

    protected sealed override int Read(int maxPackets, IPacketSink sink)
    {
        // pcap_offline_read: no count means every packet there is.
        if (maxPackets <= 0) maxPackets = int.MaxValue;
        int delivered = 0;
        PacketHeader header;
        try
        {
            for (;;)
            {
                // A break with packets already delivered returns them and leaves the flag for the next call.
                if (Block->BreakLoop != 0)
                {
                    if (delivered > 0) return delivered;
                    Block->BreakLoop = 0;
                    return PcapError.Break;
                }
                if (NextPacket(&header, out byte* data) == 0)
                    return delivered;
                var filter = Filter;
                if (filter == null || filter.Run(data, header.Len, header.CapLen) != 0)
                {
                    sink.Packet(&header, data);
                    if (++delivered >= maxPackets)
                        return delivered;
                }
            }
        }
        catch (PcapException e)
        {
            // As libpcap, an error loses the count of packets already delivered in this call.
            Error = e.Message;
            return PcapError.Error;
        }
    }

    bool keepFile;

    /// <summary>Frees the handle of a refused open: the <c>FILE *</c> stays with whoever opened it.</summary>
    private protected void DisposeKeepingFile()
    {
        keepFile = true;
        Dispose();
    }

    protected override void CloseModule()
    {
        // libpcap closes the FILE * of every savefile but standard input.
        if (!keepFile && Input.File != Stdio.Stdin)
            Stdio.Fclose(Input.File);
        Input.Dispose();
    }
}
