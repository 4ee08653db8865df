using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Savefiles;

/// <summary>
/// A handle reading a savefile (libpcap's savefile.c): the read loop of pcap_offline_read over the
/// format's next-packet step, with the break flag checked before every packet and the filter run on each.
/// </summary>
public abstract unsafe partial class SavefileHandle : Handle
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
    /// With <paramref name="mayRead"/> false it returns <see cref="NotBuffered"/>, consuming nothing, when the
    /// record does not lie wholly in the read buffer (reading more would move the records before it).
    /// </summary>
    private protected abstract int NextPacket(PacketHeader* header, out byte* data, bool mayRead);

    private protected const int NotBuffered = 2;

    /// <summary>
    /// Whether records may go to a C handler in batches: false where reading a record changes more than
    /// the position (pseudo-headers swapped in place), since a batch may have to read records again.
    /// </summary>
    private protected abstract bool BatchesRecords { get; }

    /// <summary>Where the record <see cref="NextPacket"/> returned last began in the read buffer.</summary>
    private protected long RecordStart;

    protected sealed override int Read(int maxPackets, IPacketSink sink)
    {
        // pcap_offline_read: no count means every packet there is.
        if (maxPackets <= 0) maxPackets = int.MaxValue;
        try
        {
            return BatchesRecords && sink is ICallbackSink handler ? ReadBatches(maxPackets, handler) : ReadEach(maxPackets, sink);
        }
        catch (PcapException e)
        {
            // As libpcap, an error loses the count of packets already delivered in this call.
            Error = e.Message;
            return PcapError.Error;
        }
    }

    /// <summary>Consumes a pending break before a packet: -2, or the packets delivered so far with the flag left set.</summary>
    bool BreakBeforePacket(int delivered, out int result)
    {
        result = delivered;
        if (Block->BreakLoop == 0) return false;
        if (delivered == 0)
        {
            Block->BreakLoop = 0;
            result = PcapError.Break;
        }
        return true;
    }

    int ReadEach(int maxPackets, IPacketSink sink)
    {
        int delivered = 0;
        PacketHeader header;
        for (;;)
        {
            if (BreakBeforePacket(delivered, out int result))
                return result;
            if (NextPacket(&header, out byte* data, mayRead: true) == 0)
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

    // One batch: the passing records' headers and data pointers for the C shim, and where each record
    // began (and libpcap's buffer size before it), to give back the records a pcap_breakloop kept from the handler.
    // Small enough that a batch's packets are still in cache when the handler reads them.
    const int BatchCapacity = 64;
    PacketHeader* batchHeaders;
    byte** batchData;
    long* batchStarts;
    int* batchBufferSizes;

    /// <summary>
    /// The records that lie in the read buffer go to the C handler in one call through the shim, which
    /// checks the break flag before each packet as pcap_offline_read does; what it did not deliver is read again.
    /// </summary>
    int ReadBatches(int maxPackets, ICallbackSink handler)
    {
        if (batchHeaders == null)
        {
            batchHeaders = (PacketHeader*)NativeMemory.Alloc(BatchCapacity, (nuint)sizeof(PacketHeader));
            batchData = (byte**)NativeMemory.Alloc(BatchCapacity, (nuint)sizeof(byte*));
            batchStarts = (long*)NativeMemory.Alloc(BatchCapacity, sizeof(long));
            batchBufferSizes = (int*)NativeMemory.Alloc(BatchCapacity, sizeof(int));
        }
        int delivered = 0;
        for (;;)
        {
            if (BreakBeforePacket(delivered, out int result))
                return result;
            int room = Math.Min(maxPackets - delivered, BatchCapacity), n = 0;
            bool endOfFile = false;
            PcapException? failure = null;
            try
            {
                // Only the first record of a batch may need a read (which moves the buffer): the pointers
                // of the records before it would not survive that.
                while (n < room)
                {
                    int sizeBefore = bufferSize;
                    int status = NextPacket(batchHeaders + n, out byte* data, mayRead: n == 0);
                    if (status == NotBuffered)
                        break;
                    if (status == 0)
                    {
                        endOfFile = true;
                        break;
                    }
                    var filter = Filter;
                    if (filter == null || filter.Run(data, batchHeaders[n].Len, batchHeaders[n].CapLen) != 0)
                    {
                        batchData[n] = data;
                        batchStarts[n] = RecordStart;
                        batchBufferSizes[n] = sizeBefore;
                        n++;
                    }
                }
            }
            catch (PcapException e)
            {
                // The packets before the bad record are delivered first, as libpcap reads them first.
                failure = e;
            }
            int handed = n == 0 ? 0 : Shim.Deliver(handler.Callback, handler.User, batchHeaders, batchData, n, Block);
            delivered += handed;
            if (handed < n)
            {
                // pcap_breakloop stopped the handler: the undelivered records are read again next time.
                Input.Position = batchStarts[handed];
                bufferSize = batchBufferSizes[handed];
                continue;
            }
            if (failure != null) throw failure;
            if (endOfFile || delivered >= maxPackets)
                return delivered;
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
        NativeMemory.Free(batchHeaders);
        NativeMemory.Free(batchData);
        NativeMemory.Free(batchStarts);
        NativeMemory.Free(batchBufferSizes);
        batchHeaders = null;
        // libpcap closes the FILE * of every savefile but standard input.
        if (!keepFile && Input.File != Stdio.Stdin)
            Stdio.Fclose(Input.File);
        Input.Dispose();
    }
}
