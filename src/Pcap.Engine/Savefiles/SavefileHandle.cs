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

    /// <summary>The <c>FILE *</c> the savefile is read from.</summary>
    public IntPtr File => Input.File;

    /// <summary>
    /// pcap_file: the <c>FILE *</c>, which the program may now move or ask the position of, so from now on
    /// the reader follows it (libpcap reads every record through it).
    /// </summary>
    public IntPtr HandOutFile()
    {
        GiveBack();
        Input.FollowStream();
        return Input.File;
    }

    /// <summary>pcap_is_swapped: the file was written in the other byte order.</summary>
    public bool Swapped { get; private protected set; }

    public int MajorVersion { get; private protected set; }
    public int MinorVersion { get; private protected set; }

    int bufferSize;

    /// <summary>The size libpcap's own packet buffer would have now: pcap_bufsize shows it.</summary>
    public override int BufferSize
    {
        get
        {
            GiveBack();
            return bufferSize;
        }
    }

    /// <summary>libpcap's buffer size after the records read so far, for the format's next-packet step.</summary>
    private protected int RecordBufferSize => bufferSize;

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
    /// The format's fast step for a run of plain records: from index <paramref name="n"/> of the batch on, the
    /// records that lie wholly in the read buffer and need nothing but their header copied, up to
    /// <paramref name="room"/> that pass <paramref name="filter"/> (those it rejects are consumed); returns
    /// the new count, and sets <see cref="batchStart"/> when it takes the batch's first record. It stops at the
    /// first record that needs more (the next-packet step then takes it). The base takes none.
    /// </summary>
    private protected virtual int TakeBuffered(Batch batch, int n, int room, Bpf.Program? filter) => n;

    /// <summary>Where one batch's records go: headers and data for C, and what undoing the records after each takes.</summary>
    private protected readonly struct Batch(PacketHeader* headers, byte** data, long* ends, int* bufferSizes)
    {
        public readonly PacketHeader* Headers = headers;
        public readonly byte** Data = data;
        /// <summary>Where the read buffer's unconsumed bytes began after each record.</summary>
        public readonly long* Ends = ends;
        /// <summary>libpcap's buffer size after each record.</summary>
        public readonly int* BufferSizes = bufferSizes;
    }

    /// <summary>
    /// Whether records may go to C in batches: false where reading a record changes more than the position
    /// (pseudo-headers swapped in place), since a batch may have to read records again.
    /// </summary>
    private protected abstract bool BatchesRecords { get; }

    // Batches need the records to stay in the read buffer; a reader that follows the program's FILE * reads
    // one record at a time, as libpcap does, so that the stream always stands at the next record.
    bool Batches => BatchesRecords && !Input.FollowsStream;

    /// <summary>Where the record <see cref="NextPacket"/> returned last began in the read buffer.</summary>
    private protected long RecordStart;

    protected sealed override int Read(int maxPackets, IPacketSink sink)
    {
        GiveBack();
        // pcap_offline_read: no count means every packet there is.
        if (maxPackets <= 0) maxPackets = int.MaxValue;
        try
        {
            if (failureBehindReady != null)
            {
                if (BreakBeforePacket(0, out int broke))
                    return broke;
                var failure = failureBehindReady;
                failureBehindReady = null;
                throw failure;
            }
            return Batches && sink is ICallbackSink handler ? ReadBatches(maxPackets, handler) : ReadEach(maxPackets, sink);
        }
        catch (PcapException e)
        {
            // As libpcap, an error loses the count of packets already delivered in this call.
            Input.DropExamined();
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

    // One batch: the passing records for C (pcap_loop's handler, or pcap_next_ex one at a time). Small
    // enough that a batch's packets are still in cache when the program reads them.
    const int BatchCapacity = 64;
    Batch batch;
    // Where the batch's first record began, and libpcap's buffer size before it.
    private protected long batchStart;
    int batchStartSize;
    ReadyPackets* ready;
    // A bad record met behind the prepared packets: reported once pcap_next_ex has handed them out.
    PcapException? failureBehindReady;

    Batch TheBatch()
    {
        if (batch.Headers == null)
            batch = new Batch(
                (PacketHeader*)NativeMemory.Alloc(BatchCapacity, (nuint)sizeof(PacketHeader)),
                (byte**)NativeMemory.Alloc(BatchCapacity, (nuint)sizeof(byte*)),
                (long*)NativeMemory.Alloc(BatchCapacity, sizeof(long)),
                (int*)NativeMemory.Alloc(BatchCapacity, sizeof(int)));
        return batch;
    }

    /// <summary>
    /// Reads records into the batch, up to <paramref name="room"/>: those that pass the filter. Only the first
    /// may need a read (which moves the buffer): the pointers of the records before it would not survive that.
    /// A bad record ends the batch with <paramref name="failure"/> set, the records before it kept.
    /// </summary>
    int FillBatch(int room, out bool endOfFile, out PcapException? failure)
    {
        var b = TheBatch();
        int n = 0;
        endOfFile = false;
        failure = null;
        try
        {
            while (n < room)
            {
                var filter = Filter;
                long start = Input.Position;
                int size = bufferSize, before = n;
                n = TakeBuffered(b, n, room, filter);
                if (before == 0 && n > 0) batchStartSize = size;
                if (Input.Position != start)
                    continue;
                int sizeBefore = bufferSize;
                int status = NextPacket(b.Headers + n, out byte* data, mayRead: n == 0);
                if (status == NotBuffered)
                    break;
                if (status == 0)
                {
                    endOfFile = true;
                    break;
                }
                if (filter == null || filter.Run(data, b.Headers[n].Len, b.Headers[n].CapLen) != 0)
                {
                    if (n == 0) (batchStart, batchStartSize) = (RecordStart, sizeBefore);
                    b.Data[n] = data;
                    b.Ends[n] = Input.Position;
                    b.BufferSizes[n] = bufferSize;
                    n++;
                }
            }
        }
        catch (PcapException e)
        {
            // The packets before the bad record are delivered first, as libpcap reads them first.
            failure = e;
        }
        return n;
    }

    /// <summary>
    /// Makes the batch's records from <paramref name="index"/> on unread: the reader stands right after the
    /// record before it, so records the filter skipped after that one are read (and filtered) again.
    /// </summary>
    void Unread(int index)
    {
        if (index == 0)
        {
            Input.Position = batchStart;
            bufferSize = batchStartSize;
            return;
        }
        Input.Position = batch.Ends[index - 1];
        bufferSize = batch.BufferSizes[index - 1];
    }

    /// <summary>
    /// The records in the read buffer go to the C handler in one call through the shim, which checks the
    /// break flag before each packet as pcap_offline_read does; what it did not deliver is read again.
    /// </summary>
    int ReadBatches(int maxPackets, ICallbackSink handler)
    {
        int delivered = 0;
        for (;;)
        {
            if (BreakBeforePacket(delivered, out int result))
                return result;
            int n = FillBatch(Math.Min(maxPackets - delivered, BatchCapacity), out bool endOfFile, out var failure);
            int handed = n == 0 ? 0 : Shim.Deliver(handler.Callback, handler.User, batch.Headers, batch.Data, n, Block);
            delivered += handed;
            if (handed < n)
            {
                // pcap_breakloop stopped the handler: the undelivered records are read again next time.
                Unread(handed);
                continue;
            }
            if (failure != null) throw failure;
            if (endOfFile || delivered >= maxPackets)
                return delivered;
        }
    }

    /// <summary>
    /// pcap_next_ex: a batch is prepared and its first packet returned; C hands out the rest
    /// (native-build/shim/pcap-next-ex.c), so the engine is entered once a batch.
    /// </summary>
    public override int NextEx(out PacketHeader* header, out byte* data)
    {
        if (!Batches)
            return base.NextEx(out header, out data);
        GiveBack();
        if (Block->BreakLoop != 0 || failureBehindReady != null)
            return base.NextEx(out header, out data); // the break, or the bad record, as the reader reports them
        int n = FillBatch(BatchCapacity, out _, out var failure);
        header = batch.Headers;
        data = null;
        if (n == 0)
        {
            if (failure == null)
                return PcapError.Break; // end of file
            Input.DropExamined();
            Error = failure.Message;
            return PcapError.Error;
        }
        failureBehindReady = failure;
        if (ready == null)
        {
            ready = (ReadyPackets*)NativeMemory.AllocZeroed((nuint)sizeof(ReadyPackets));
            ready->Headers = batch.Headers;
            ready->Data = batch.Data;
            Block->Ready = ready;
        }
        ready->Count = n;
        ready->Next = 1;
        data = batch.Data[0];
        return 1;
    }

    /// <summary>
    /// Takes back the packets prepared for pcap_next_ex that C has not handed out: the reader stands at the
    /// first of them again, as if they had never been read. Every other read, and whatever depends on how
    /// far the reader got, calls this first.
    /// </summary>
    void GiveBack()
    {
        if (ready == null || ready->Count == 0) return;
        if (ready->Next < ready->Count)
        {
            Unread(ready->Next);
            failureBehindReady = null; // met again when the reader gets there
        }
        ready->Count = ready->Next = 0;
    }

    protected override void FilterChanged() => GiveBack();

    bool keepFile;

    /// <summary>Frees the handle of a refused open: the <c>FILE *</c> stays with whoever opened it.</summary>
    private protected void DisposeKeepingFile()
    {
        keepFile = true;
        Dispose();
    }

    protected override void CloseModule()
    {
        Block->Ready = null;
        NativeMemory.Free(ready);
        ready = null;
        NativeMemory.Free(batch.Headers);
        NativeMemory.Free(batch.Data);
        NativeMemory.Free(batch.Ends);
        NativeMemory.Free(batch.BufferSizes);
        batch = default;
        // libpcap closes the FILE * of every savefile but standard input.
        if (!keepFile && Input.File != Stdio.Stdin)
            Stdio.Fclose(Input.File);
        Input.Dispose();
    }
}
