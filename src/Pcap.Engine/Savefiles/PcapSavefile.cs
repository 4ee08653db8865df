using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Pcap.Engine.Handles;
using Pcap.Engine.LinkTypes;

namespace Pcap.Engine.Savefiles;

/// <summary>The classic pcap format (libpcap's sf-pcap.c): a 24-byte file header, then records.</summary>
public sealed unsafe class PcapSavefile : SavefileHandle
{
    public const uint MicroMagic = 0xa1b2c3d4;
    public const uint NanoMagic = 0xa1b23c4d;
    /// <summary>Alexey Kuznetzov's patched libpcap: 8 more bytes in every record header.</summary>
    public const uint KuznetzovMagic = 0xa1b2cd34;

    const int FileHeaderSize = 24;
    const int PatchedRecordHeaderSize = 24;
    const int RecordHeaderSize = 16;

    enum Scale { None, Up, Down }
    // Versions before 2.3 (and DG/UX's 543.0) wrote len before caplen; some 2.3 writers did too.
    enum LengthOrder { CaplenFirst, LenFirst, Either }

    readonly int recordHeaderSize;
    readonly Scale scale;
    readonly LengthOrder lengthOrder;
    readonly uint maxCaplen;
    readonly bool postProcess;
    // Records need only their header copied: this machine's byte order, the precision asked for, caplen first.
    readonly bool plain;

    PcapSavefile(SavefileInput input, TimestampPrecision precision, uint magic, bool swapped,
        ushort major, ushort minor, uint snapLength, uint linkTypeField) : base(input, precision)
    {
        Swapped = swapped;
        MajorVersion = major;
        MinorVersion = minor;
        LinkType = LinkTypeMap.ToDlt((int)(linkTypeField & 0x03FFFFFF));
        LinkTypeExt = (int)(linkTypeField & 0xFC000000); // FCS length bits, pcap_datalink_ext
        Snapshot = SnapLength.Adjust(LinkType, snapLength);
        maxCaplen = SnapLength.MaxForDlt(LinkType);
        postProcess = PseudoHeaders.Needed(LinkType, swapped);

        bool fileNano = magic == NanoMagic;
        bool wantNano = precision == TimestampPrecision.Nano;
        scale = fileNano == wantNano ? Scale.None : wantNano ? Scale.Up : Scale.Down;

        recordHeaderSize = RecordHeaderSize;
        if (magic == KuznetzovMagic)
        {
            recordHeaderSize = PatchedRecordHeaderSize;
            // Cooked captures of that libpcap added a 14-byte fake Ethernet header past the snapshot length.
            if (LinkType == 1)
                Snapshot = Snapshot <= int.MaxValue - 14 ? Snapshot + 14 : int.MaxValue;
        }
        lengthOrder = major switch
        {
            2 when minor < 3 => LengthOrder.LenFirst,
            2 when minor == 3 => LengthOrder.Either,
            543 => LengthOrder.LenFirst,
            _ => LengthOrder.CaplenFirst,
        };
        SetBufferSize(Snapshot < 2048 ? Snapshot : 2048);
        plain = !swapped && scale == Scale.None && lengthOrder == LengthOrder.CaplenFirst
            && recordHeaderSize == RecordHeaderSize && !postProcess;
    }

    /// <summary>
    /// pcap_check_header: null if <paramref name="magic"/> is not a pcap magic; otherwise the handle, or
    /// a <see cref="PcapException"/> with libpcap's text for a header it refuses.
    /// </summary>
    internal static PcapSavefile? TryOpen(SavefileInput input, uint magic, int precision)
    {
        bool swapped = false;
        if (magic is not (MicroMagic or NanoMagic or KuznetzovMagic))
        {
            magic = BinaryPrimitives.ReverseEndianness(magic);
            if (magic is not (MicroMagic or NanoMagic or KuznetzovMagic))
                return null;
            swapped = true;
        }
        long got = input.Ensure(FileHeaderSize);
        if (got < FileHeaderSize)
            throw new PcapException($"truncated dump file; tried to read {FileHeaderSize} file header bytes, only got {got - 4}");
        byte* h = input.Current;
        ushort major = Get16(h + 4, swapped), minor = Get16(h + 6, swapped);
        uint snapLength = Get32(h + 16, swapped), linkType = Get32(h + 20, swapped);
        if (major < 2)
            throw new PcapException("archaic pcap savefile format");
        if (!(major == 2 && minor <= 4 || major == 543 && minor == 0))
            throw new PcapException($"unsupported pcap savefile version {major}.{minor}");
        if (precision is not (0 or 1))
            throw new PcapException($"unknown time stamp resolution {(uint)precision}");
        input.Consume(FileHeaderSize);
        return new PcapSavefile(input, (TimestampPrecision)precision, magic, swapped, major, minor, snapLength, linkType);
    }

    static ushort Get16(byte* p, bool swapped)
    {
        ushort v = *(ushort*)p;
        return swapped ? BinaryPrimitives.ReverseEndianness(v) : v;
    }

    static uint Get32(byte* p, bool swapped)
    {
        uint v = *(uint*)p;
        return swapped ? BinaryPrimitives.ReverseEndianness(v) : v;
    }

    private protected override int NextPacket(PacketHeader* header, out byte* data, bool mayRead)
    {
        data = null;
        // Through Ensure even when buffered: it notes how far the reader looked, which a bad record consumes.
        if (!mayRead && Input.Available < recordHeaderSize) return NotBuffered;
        long available = Input.Ensure(recordHeaderSize);
        if (available < recordHeaderSize)
        {
            if (available == 0) return 0;
            throw TruncatedHeader(recordHeaderSize, available);
        }
        byte* r = Input.Current;
        bool swapped = Swapped;
        uint caplen = Get32(r + 8, swapped), len = Get32(r + 12, swapped);
        // libpcap reads the time stamp fields as signed 32-bit values, but its byte swap yields unsigned ones.
        uint seconds = Get32(r, swapped), rawFraction = Get32(r + 4, swapped);
        header->TvSec = swapped ? seconds : (int)seconds;
        long fraction = swapped ? rawFraction : (int)rawFraction;
        header->TvUsec = scale switch
        {
            Scale.None => fraction,
            Scale.Up => fraction * 1000,
            _ => fraction / 1000,
        };
        if (lengthOrder == LengthOrder.LenFirst || lengthOrder == LengthOrder.Either && caplen > len)
            (caplen, len) = (len, caplen);

        uint snapshot = (uint)Snapshot;
        if (caplen > maxCaplen)
            throw BogusLength(caplen, maxCaplen, Snapshot); // a damaged or fuzzed file
        long recordSize = recordHeaderSize + (long)caplen;
        if (!mayRead && available < recordSize) return NotBuffered;
        available = Input.Ensure(recordSize);
        if (available < recordSize)
            throw TruncatedData(caplen, snapshot, available - recordHeaderSize);
        r = Input.Current;
        RecordStart = Input.Position;
        Input.Consume(recordSize);
        // Records longer than the snapshot length (Solaris 2.3 bufmod, libpcap 1.5.0's header bug) are cut to it.
        uint kept = caplen > snapshot ? snapshot : caplen;
        if (kept > RecordBufferSize)
            GrowBufferSize(kept);
        header->CapLen = kept;
        header->Len = len;
        data = r + recordHeaderSize;
        if (postProcess)
            PseudoHeaders.Process(LinkType, swapped, header, data);
        return 1;
    }

    private protected override int TakeBuffered(Batch batch, int n, int room, Bpf.Program? filter)
    {
        if (!plain) return n;
        long position = Input.Position, available = Input.Available;
        byte* r = Input.Current;
        // A record above libpcap's buffer size grows it, and one above the snapshot length is cut or refused:
        // the next-packet step takes those.
        uint limit = (uint)RecordBufferSize;
        if (limit > (uint)Snapshot) limit = (uint)Snapshot;
        if (limit > maxCaplen) limit = maxCaplen;
        int size = RecordBufferSize;
        while (n < room && available >= RecordHeaderSize)
        {
            uint caplen = *(uint*)(r + 8);
            long recordSize = RecordHeaderSize + (long)caplen;
            if (caplen > limit || available < recordSize)
                break;
            uint len = *(uint*)(r + 12);
            if (filter == null || filter.Run(r + RecordHeaderSize, len, caplen) != 0)
            {
                PacketHeader* h = batch.Headers + n;
                h->TvSec = *(int*)r;
                h->TvUsec = *(int*)(r + 4);
                h->CapLen = caplen;
                h->Len = len;
                batch.Data[n] = r + RecordHeaderSize;
                if (n == 0) batchStart = position;
                batch.Ends[n] = position + recordSize;
                batch.BufferSizes[n] = size;
                n++;
            }
            r += recordSize;
            position += recordSize;
            available -= recordSize;
        }
        Input.Position = position;
        return n;
    }

    // Pseudo-headers are swapped in place, so records that need it must not be read twice: no batches for them.
    private protected override bool BatchesRecords => !postProcess;

    // The error texts are built out of line: string formatting would cost every record a larger frame.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static PcapException TruncatedHeader(int size, long got) =>
        new($"truncated dump file; tried to read {size} header bytes, only got {got}");

    [MethodImpl(MethodImplOptions.NoInlining)]
    static PcapException BogusLength(uint caplen, uint maximum, int snapshot) =>
        new(caplen > (uint)snapshot
            ? $"invalid packet capture length {caplen}, bigger than snaplen of {snapshot}"
            : $"invalid packet capture length {caplen}, bigger than maximum of {maximum}");

    // libpcap reads the snapshot length first and then discards the rest of an oversized record.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static PcapException TruncatedData(uint caplen, uint snapshot, long got) =>
        new($"truncated dump file; tried to read {(caplen > snapshot && got < snapshot ? snapshot : caplen)} captured bytes, only got {got}");

    // libpcap grows its buffer to the next power of two (at most the snapshot length); pcap_bufsize shows it.
    void GrowBufferSize(uint caplen)
    {
        uint size = System.Numerics.BitOperations.RoundUpToPowerOf2(caplen);
        SetBufferSize(size > (uint)Snapshot ? Snapshot : (int)size);
    }
}
