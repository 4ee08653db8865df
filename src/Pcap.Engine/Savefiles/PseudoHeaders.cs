using System.Buffers.Binary;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Savefiles;

/// <summary>
/// What libpcap does to each record after reading it: link-layer pseudo-headers written in the capturing
/// host's byte order (Linux USB, NFLOG TLVs, SocketCAN ids behind a cooked header) are swapped in place
/// when the file came from a host of the other byte order (swap_pseudo_headers), and the length of
/// memory-mapped Linux USB isochronous completions, which old libpcaps miscalculated, is fixed up.
/// </summary>
internal static unsafe class PseudoHeaders
{
    const int DltPflog = 117, DltLinuxSll = 113, DltLinuxSll2 = 276, DltUsbLinux = 189, DltUsbLinuxMmapped = 220, DltNflog = 239;

    /// <summary>Whether records of this file need <see cref="Process"/> at all.</summary>
    public static bool Needed(int dlt, bool swapped) => swapped || dlt == DltUsbLinuxMmapped;

    public static void Process(int dlt, bool swapped, PacketHeader* header, byte* data)
    {
        if (swapped)
            Swap(dlt, header, data);
        if (dlt == DltUsbLinuxMmapped && header->CapLen >= 64)
            FixUsbMmappedLength(header, data);
    }

    static void Swap(int dlt, PacketHeader* header, byte* data)
    {
        switch (dlt)
        {
            case DltLinuxSll:
                // sll_header is 16 bytes with the protocol (big-endian) at 14.
                if (header->CapLen >= 16 && header->Len >= 16)
                    SwapSocketCan(BinaryPrimitives.ReadUInt16BigEndian(new System.ReadOnlySpan<byte>(data + 14, 2)), header->CapLen - 16, header->Len - 16, data + 16);
                break;
            case DltLinuxSll2:
                // sll2_header is 20 bytes with the protocol (big-endian) first.
                if (header->CapLen >= 20 && header->Len >= 20)
                    SwapSocketCan(BinaryPrimitives.ReadUInt16BigEndian(new System.ReadOnlySpan<byte>(data, 2)), header->CapLen - 20, header->Len - 20, data + 20);
                break;
            case DltUsbLinux:
                SwapUsb(header->CapLen, data, false);
                break;
            case DltUsbLinuxMmapped:
                SwapUsb(header->CapLen, data, true);
                break;
            case DltNflog:
                SwapNflog(header->CapLen, header->Len, data);
                break;
            case DltPflog:
                SwapPflog(header->CapLen, header->Len, data);
                break;
        }
    }

    static void SwapSocketCan(ushort protocol, uint caplen, uint len, byte* can)
    {
        const ushort LinuxSllPCan = 0x000C, LinuxSllPCanFd = 0x000D;
        if (protocol is LinuxSllPCan or LinuxSllPCanFd && caplen >= 4 && len >= 4)
            Swap32(can);
    }

    // The Linux USB header: each field is swapped only if the captured bytes reach its end.
    static void SwapUsb(uint caplen, byte* h, bool header64Bytes)
    {
        const byte UrbIsochronous = 0;
        if (caplen < 8) return;
        Swap64(h); // id
        if (caplen < 14) return;
        Swap16(h + 12); // bus_id
        if (caplen < 24) return;
        Swap64(h + 16); // ts_sec
        if (caplen < 28) return;
        Swap32(h + 24); // ts_usec
        if (caplen < 32) return;
        Swap32(h + 28); // status
        if (caplen < 36) return;
        Swap32(h + 32); // urb_len
        if (caplen < 40) return;
        Swap32(h + 36); // data_len
        bool isochronous = h[9] == UrbIsochronous;
        if (isochronous)
        {
            if (caplen < 44) return;
            Swap32(h + 40); // error_count
            if (caplen < 48) return;
            Swap32(h + 44); // numdesc
        }
        if (!header64Bytes) return;
        for (uint offset = 48; offset < 64; offset += 4) // interval, start_frame, xfer_flags, ndesc
        {
            if (caplen < offset + 4) return;
            Swap32(h + offset);
        }
        if (!isochronous) return;
        uint ndesc = *(uint*)(h + 60);
        uint at = 64;
        for (uint i = 0; i < ndesc; i++, at += 16)
        {
            // status, offset, len; then padding
            for (uint field = 0; field < 12; field += 4)
            {
                if (caplen < at + field + 4) return;
                Swap32(h + at + field);
            }
        }
    }

    // pfloghdr: uid, pid, rule_uid and rule_pid (at 44, 48, 52, 56) are in host order; each is swapped
    // only if the captured bytes, the length and the header's own length field all reach its end.
    static void SwapPflog(uint caplen, uint len, byte* h)
    {
        uint headerLength = caplen == 0 ? 0u : h[0];
        for (uint end = 48; end <= 60; end += 4)
        {
            if (caplen < end || len < end || headerLength < end) return;
            Swap32(h + end - 4);
        }
    }

    // NFLOG: a 4-byte header, then TLVs whose type and length are in host byte order.
    static void SwapNflog(uint caplen, uint len, byte* p)
    {
        if (caplen < 4 || len < 4 || p[1] != 0) return; // nflog_version
        caplen -= 4;
        len -= 4;
        p += 4;
        while (caplen >= 4)
        {
            Swap16(p);
            Swap16(p + 2);
            uint size = *(ushort*)p;
            if (size % 4 != 0) size += 4 - size % 4;
            if (size < 4 || caplen < size || len < size) return;
            len -= size;
            caplen -= size;
            p += size;
        }
    }

    // fix_linux_usb_mmapped_length: for an incoming isochronous completion whose length was computed from
    // the URB length, the length is where the last isochronous descriptor's data ends.
    static void FixUsbMmappedLength(PacketHeader* header, byte* h)
    {
        const byte UrbComplete = (byte)'C', UrbIsochronous = 0, UrbTransferIn = 0x80;
        uint ndesc = *(uint*)(h + 60), urbLength = *(uint*)(h + 32);
        if (h[15] != 0 || h[9] != UrbIsochronous || h[8] != UrbComplete || (h[10] & UrbTransferIn) == 0)
            return;
        if (header->Len != 64UL + ndesc * 16UL + urbLength)
            return;
        uint dataEnd = 0;
        uint bytesLeft = header->CapLen - 64;
        byte* desc = h + 64;
        for (uint i = 0; i < ndesc && bytesLeft >= 16; i++, bytesLeft -= 16, desc += 16)
        {
            uint length = *(uint*)(desc + 8);
            if (length == 0) continue;
            uint end = *(uint*)(desc + 4) + length;
            if (end > dataEnd) dataEnd = end;
        }
        uint fixedLength = (uint)(64 + ndesc * 16 + dataEnd);
        if (fixedLength >= header->CapLen)
            header->Len = fixedLength;
        if (header->CapLen > header->Len)
            header->Len = header->CapLen;
    }

    static void Swap16(byte* p) => *(ushort*)p = BinaryPrimitives.ReverseEndianness(*(ushort*)p);
    static void Swap32(byte* p) => *(uint*)p = BinaryPrimitives.ReverseEndianness(*(uint*)p);
    static void Swap64(byte* p) => *(ulong*)p = BinaryPrimitives.ReverseEndianness(*(ulong*)p);
}
