using System.Buffers.Binary;
using System.Collections.Generic;
using Pcap.Engine.Handles;
using Pcap.Engine.LinkTypes;

namespace Pcap.Engine.Savefiles;

/// <summary>
/// The pcapng format (libpcap's sf-pcapng.c): section header, interface description and packet blocks
/// (enhanced, simple, obsolete), other blocks skipped. Blocks are parsed where they lie in the read buffer.
/// </summary>
public sealed unsafe class PcapngSavefile : SavefileHandle
{
    public const uint SectionHeaderBlock = 0x0A0D0D0A;
    const uint InterfaceDescriptionBlock = 1, PacketBlock = 2, SimplePacketBlock = 3, EnhancedPacketBlock = 6;
    const uint ByteOrderMagic = 0x1A2B3C4D;
    const uint SectionHeaderInsaneMax = 1024 * 1024;
    const uint InitialMaxBlockSize = 16 * 1024 * 1024;

    /// <summary>One interface of the current section: how its time stamps convert to the precision asked for.</summary>
    readonly record struct Interface(ulong Resolution, long Offset, ulong Factor, ScaleKind Scale);

    enum ScaleKind { None, UpDecimal, DownDecimal, Binary }

    readonly List<Interface> interfaces = [];
    readonly ulong userResolution;
    uint maxBlockSize = InitialMaxBlockSize;

    PcapngSavefile(SavefileInput input, TimestampPrecision precision, bool swapped) : base(input, precision)
    {
        Swapped = swapped;
        userResolution = precision == TimestampPrecision.Nano ? 1_000_000_000UL : 1_000_000UL;
    }

    /// <summary>A block where it lies in the buffer: its type and body (after the 8-byte header, before the trailer).</summary>
    struct Cursor
    {
        public uint Type;
        public byte* Data;
        public uint Remaining;

        public byte* Take(uint size)
        {
            if (Remaining < size)
                throw new PcapException($"block of type {Type} in pcapng dump file is too short");
            byte* at = Data;
            Data += size;
            Remaining -= size;
            return at;
        }
    }

    ushort Get16(byte* p) => Swapped ? BinaryPrimitives.ReverseEndianness(*(ushort*)p) : *(ushort*)p;
    uint Get32(byte* p) => Swapped ? BinaryPrimitives.ReverseEndianness(*(uint*)p) : *(uint*)p;
    ulong Get64(byte* p) => Swapped ? BinaryPrimitives.ReverseEndianness(*(ulong*)p) : *(ulong*)p;

    /// <summary>
    /// pcap_ng_check_header: null if the file does not start with a section header block in either byte
    /// order; otherwise the handle positioned after the first interface description block, or libpcap's refusal.
    /// </summary>
    internal static PcapngSavefile? TryOpen(SavefileInput input, uint magic, int precision)
    {
        if (magic != SectionHeaderBlock)
            return null;
        // Too short for the length and byte-order magic: a short text file, not pcapng.
        if (input.Ensure(12) < 12)
            return null;
        byte* h = input.Current;
        uint totalLength = *(uint*)(h + 4);
        uint byteOrder = *(uint*)(h + 8);
        bool swapped = false;
        if (byteOrder != ByteOrderMagic)
        {
            if (BinaryPrimitives.ReverseEndianness(byteOrder) != ByteOrderMagic)
                return null;
            swapped = true;
            totalLength = BinaryPrimitives.ReverseEndianness(totalLength);
        }
        const uint minimum = 8 + 16 + 4; // block header, fixed SHB part, trailer
        if (totalLength < minimum || totalLength > SectionHeaderInsaneMax)
            throw new PcapException($"Section Header Block in pcapng dump file has invalid length {minimum} < _{totalLength}_ < {SectionHeaderInsaneMax} (BT_SHB_INSANE_MAX)");
        if (precision is not (0 or 1))
            throw new PcapException($"unknown time stamp resolution {(uint)precision}");

        var handle = new PcapngSavefile(input, (TimestampPrecision)precision, swapped);
        try
        {
            handle.OpenSection(totalLength);
            return handle;
        }
        catch
        {
            // The caller keeps the FILE *; only what the handle allocated goes.
            handle.DisposeKeepingFile();
            throw;
        }
    }

    void OpenSection(uint totalLength)
    {
        SetBufferSize(totalLength > 2048 ? (int)totalLength : 2048);
        long got = Input.Ensure(totalLength);
        if (got < totalLength)
            throw new PcapException($"truncated pcapng dump file; tried to read {totalLength - 12} bytes, only got {got - 12}");
        byte* shb = Input.Current;
        ushort major = Get16(shb + 12), minor = Get16(shb + 14);
        // Versions 1.0 and 1.2 only; 1.2 is read as 1.0.
        if (!(major == 1 && (minor == 0 || minor == 2)))
            throw new PcapException($"unsupported pcapng savefile version {major}.{minor}");
        MajorVersion = major;
        MinorVersion = minor;
        Input.Consume(totalLength);

        for (;;)
        {
            if (!ReadBlock(out var cursor))
                throw new PcapException("the capture file has no Interface Description Blocks");
            switch (cursor.Type)
            {
                case InterfaceDescriptionBlock:
                    byte* idb = cursor.Take(8);
                    ushort linkType = Get16(idb);
                    uint snapLength = Get32(idb + 4);
                    AddInterface(ref cursor);
                    LinkType = LinkTypeMap.ToDlt(linkType);
                    Snapshot = SnapLength.Adjust(LinkType, snapLength);
                    uint forSnap = 8 + 20 + SnapLength.MaxForDlt(LinkType) + 131072 + 4;
                    if (forSnap > maxBlockSize)
                        maxBlockSize = forSnap;
                    return;
                case EnhancedPacketBlock or SimplePacketBlock or PacketBlock:
                    throw new PcapException("the capture file has a packet block before any Interface Description Blocks");
            }
        }
    }

    /// <summary>read_block: the next whole block in the buffer, false at a clean end of file.</summary>
    bool ReadBlock(out Cursor cursor)
    {
        cursor = default;
        long available = Input.Ensure(8);
        if (available < 8)
        {
            if (available == 0) return false;
            throw new PcapException($"truncated pcapng dump file; tried to read 8 bytes, only got {available}");
        }
        byte* b = Input.Current;
        uint type = Get32(b), totalLength = Get32(b + 4);
        if (totalLength < 12)
            throw new PcapException($"block in pcapng dump file has a length of {totalLength} < 12");
        if (totalLength % 4 != 0)
            throw new PcapException($"block in pcapng dump file has a length of {totalLength} that is not a multiple of 4");
        // libpcap checks the maximum only for blocks bigger than its buffer, but never records the buffer's
        // growth (pcap_bufsize keeps the size from the open), so every block above the maximum is refused.
        if (totalLength > maxBlockSize)
            throw new PcapException($"pcapng block size {totalLength} > maximum {maxBlockSize}");
        available = Input.Ensure(totalLength);
        if (available < totalLength)
            throw new PcapException($"truncated pcapng dump file; tried to read {totalLength - 8} bytes, only got {available - 8}");
        b = Input.Current;
        Input.Consume(totalLength);
        if (Get32(b + totalLength - 4) != totalLength)
            throw new PcapException("block total length in header and trailer don't match");
        cursor = new Cursor { Type = type, Data = b + 8, Remaining = totalLength - 12 };
        return true;
    }

    // Packets are batched only while packet blocks follow each other in the buffer: a block that changes
    // the interfaces (or anything else) starts a batch of its own, so a batch never needs to undo one.
    private protected override bool BatchesRecords => !PseudoHeaders.Needed(LinkType, Swapped);

    /// <summary>Whether the next block is a packet block that lies wholly in the read buffer.</summary>
    bool PacketBlockBuffered()
    {
        if (Input.Available < 12) return false;
        byte* b = Input.Current;
        uint type = Get32(b), totalLength = Get32(b + 4);
        return type is EnhancedPacketBlock or SimplePacketBlock or PacketBlock
            && totalLength >= 12 && totalLength % 4 == 0 && totalLength <= maxBlockSize && Input.Available >= totalLength;
    }

    /// <summary>add_interface: the interface's time stamp resolution and offset from its options.</summary>
    void AddInterface(ref Cursor cursor)
    {
        ulong resolution = 1_000_000;
        bool binary = false;
        long offset = 0;
        bool sawResolution = false, sawOffset = false;
        while (cursor.Remaining != 0)
        {
            byte* option = cursor.Take(4);
            ushort code = Get16(option), length = Get16(option + 2);
            byte* value = cursor.Take((uint)(length + 3) / 4 * 4);
            if (code == 0) // opt_endofopt
            {
                if (length != 0)
                    throw new PcapException($"Interface Description Block has opt_endofopt option with length {length} != 0");
                break;
            }
            if (code == 9) // if_tsresol
            {
                if (length != 1)
                    throw new PcapException($"Interface Description Block has if_tsresol option with length {length} != 1");
                if (sawResolution)
                    throw new PcapException("Interface Description Block has more than one if_tsresol option");
                sawResolution = true;
                byte r = *value;
                if ((r & 0x80) != 0)
                {
                    int shift = r & 0x7F;
                    if (shift > 63)
                        throw new PcapException($"Interface Description Block if_tsresol option resolution 2^-{shift} is too high");
                    binary = true;
                    resolution = 1UL << shift;
                }
                else
                {
                    if (r > 19)
                        throw new PcapException($"Interface Description Block if_tsresol option resolution 10^-{r} is too high");
                    binary = false;
                    resolution = 1;
                    for (int i = 0; i < r; i++) resolution *= 10;
                }
            }
            else if (code == 14) // if_tsoffset
            {
                if (length != 8)
                    throw new PcapException($"Interface Description Block has if_tsoffset option with length {length} != 8");
                if (sawOffset)
                    throw new PcapException("Interface Description Block has more than one if_tsoffset option");
                sawOffset = true;
                offset = (long)Get64(value);
            }
        }

        ScaleKind scale;
        ulong factor = 0;
        if (resolution == userResolution)
            scale = ScaleKind.None;
        else if (binary)
            scale = ScaleKind.Binary;
        else if (resolution > userResolution)
        {
            scale = ScaleKind.DownDecimal;
            factor = resolution / userResolution;
        }
        else
        {
            scale = ScaleKind.UpDecimal;
            factor = userResolution / resolution;
        }
        interfaces.Add(new Interface(resolution, offset, factor, scale));
    }

    // The last whole second converted: packets come in time order, so most need no division.
    uint lastInterface = uint.MaxValue;
    ulong lastSecondStart, lastSecond;

    /// <summary>The header's time stamp from the block's, in the interface's resolution and offset.</summary>
    void SetTime(PacketHeader* header, uint interfaceId, ulong t)
    {
        var i = interfaces[(int)interfaceId];
        ulong seconds, fraction = t - lastSecondStart;
        if (interfaceId == lastInterface && t >= lastSecondStart && fraction < i.Resolution)
            seconds = lastSecond;
        else
        {
            (seconds, fraction) = System.Math.DivRem(t, i.Resolution); // one division for both
            lastInterface = interfaceId;
            lastSecondStart = t - fraction;
            lastSecond = seconds;
        }
        seconds += (ulong)i.Offset;
        fraction = i.Scale switch
        {
            ScaleKind.None => fraction,
            ScaleKind.UpDecimal => fraction * i.Factor,
            ScaleKind.DownDecimal => fraction / i.Factor,
            _ => fraction * userResolution / i.Resolution,
        };
        header->TvSec = (long)seconds;
        header->TvUsec = (int)fraction;
    }

    private protected override int TakeBuffered(Batch batch, int n, int room, Bpf.Program? filter)
    {
        // Enhanced packet blocks in this machine's byte order, on interfaces already described; anything
        // else (other blocks, damaged ones) goes through the next-packet step.
        if (Swapped) return n;
        long position = Input.Position, available = Input.Available;
        byte* b = Input.Current;
        uint snapshot = (uint)Snapshot, count = (uint)interfaces.Count;
        int size = RecordBufferSize;
        while (n < room && available >= 12)
        {
            uint totalLength = *(uint*)(b + 4);
            if (*(uint*)b != EnhancedPacketBlock || totalLength < 32 || totalLength % 4 != 0
                || totalLength > maxBlockSize || available < totalLength || *(uint*)(b + totalLength - 4) != totalLength)
                break;
            uint interfaceId = *(uint*)(b + 8), caplen = *(uint*)(b + 20);
            if (interfaceId >= count || caplen > totalLength - 32 || caplen > snapshot)
                break;
            uint len = *(uint*)(b + 24);
            if (filter == null || filter.Run(b + 28, len, caplen) != 0)
            {
                PacketHeader* h = batch.Headers + n;
                SetTime(h, interfaceId, (ulong)*(uint*)(b + 12) << 32 | *(uint*)(b + 16));
                h->CapLen = caplen;
                h->Len = len;
                batch.Data[n] = b + 28;
                if (n == 0) batchStart = position;
                batch.Ends[n] = position + totalLength;
                batch.BufferSizes[n] = size;
                n++;
            }
            b += totalLength;
            position += totalLength;
            available -= totalLength;
        }
        Input.Position = position;
        return n;
    }

    private protected override int NextPacket(PacketHeader* header, out byte* data, bool mayRead)
    {
        data = null;
        uint interfaceId;
        ulong t;
        Cursor cursor;
        for (;;)
        {
            if (!mayRead && !PacketBlockBuffered())
                return NotBuffered;
            RecordStart = Input.Position;
            if (!ReadBlock(out cursor))
                return 0;
            switch (cursor.Type)
            {
                case EnhancedPacketBlock:
                {
                    byte* epb = cursor.Take(20);
                    interfaceId = Get32(epb);
                    t = (ulong)Get32(epb + 4) << 32 | Get32(epb + 8);
                    header->CapLen = Get32(epb + 12);
                    header->Len = Get32(epb + 16);
                    goto found;
                }
                case SimplePacketBlock:
                {
                    byte* spb = cursor.Take(4);
                    interfaceId = 0; // simple packets belong to the first interface
                    header->Len = Get32(spb);
                    header->CapLen = header->Len > (uint)Snapshot ? (uint)Snapshot : header->Len;
                    t = 0;
                    goto found;
                }
                case PacketBlock:
                {
                    byte* pb = cursor.Take(20);
                    interfaceId = Get16(pb);
                    t = (ulong)Get32(pb + 4) << 32 | Get32(pb + 8);
                    header->CapLen = Get32(pb + 12);
                    header->Len = Get32(pb + 16);
                    goto found;
                }
                case InterfaceDescriptionBlock:
                {
                    byte* idb = cursor.Take(8);
                    ushort linkType = Get16(idb);
                    uint snapLength = Get32(idb + 4);
                    // libpcap compares the raw LINKTYPE_ value with the first interface's DLT_ value.
                    if (LinkType != linkType)
                        throw new PcapException($"an interface has a type {linkType} different from the type of the first interface");
                    if ((uint)Snapshot != (uint)SnapLength.Adjust(LinkType, snapLength))
                        throw new PcapException($"an interface has a snapshot length {snapLength} different from the snapshot length of the first interface");
                    AddInterface(ref cursor);
                    break;
                }
                case SectionHeaderBlock:
                {
                    byte* shb = cursor.Take(16);
                    uint byteOrder = Get32(shb);
                    if (byteOrder == BinaryPrimitives.ReverseEndianness(ByteOrderMagic))
                        throw new PcapException("the file has sections with different byte orders");
                    if (byteOrder != ByteOrderMagic)
                        throw new PcapException("the file has a section with a bad byte order magic field");
                    ushort major = Get16(shb + 4);
                    if (major != 1)
                        throw new PcapException($"unknown pcapng savefile major version number {major}");
                    // A new section brings its own interfaces.
                    interfaces.Clear();
                    lastInterface = uint.MaxValue;
                    break;
                }
            }
        }

    found:
        if (interfaceId >= (uint)interfaces.Count)
            throw new PcapException($"a packet arrived on interface {interfaceId}, but there's no Interface Description Block for that interface");
        if (header->CapLen > (uint)Snapshot)
            throw new PcapException($"invalid packet capture length {header->CapLen}, bigger than snaplen of {Snapshot}");

        SetTime(header, interfaceId, t);
        data = cursor.Take(header->CapLen);
        if (PseudoHeaders.Needed(LinkType, Swapped))
            PseudoHeaders.Process(LinkType, Swapped, header, data);
        return 1;
    }
}
