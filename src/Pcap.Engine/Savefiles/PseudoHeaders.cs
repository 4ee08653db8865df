using System.Buffers.Binary;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Savefiles;

/// <summary>
/// libpcap's swap_pseudo_headers: link-layer pseudo-headers written in the capturing host's byte order
/// (Linux USB, NFLOG TLVs, SocketCAN ids behind a cooked header) are swapped in place when the file came
/// from a host of the other byte order.
/// </summary>
internal static unsafe class PseudoHeaders
{
    const int DltLinuxSll = 113, DltLinuxSll2 = 276, DltUsbLinux = 189, DltUsbLinuxMmapped = 220, DltNflog = 239;

    public static void Swap(int dlt, PacketHeader* header, byte* data)
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

    static void Swap16(byte* p) => *(ushort*)p = BinaryPrimitives.ReverseEndianness(*(ushort*)p);
    static void Swap32(byte* p) => *(uint*)p = BinaryPrimitives.ReverseEndianness(*(uint*)p);
    static void Swap64(byte* p) => *(ulong*)p = BinaryPrimitives.ReverseEndianness(*(ulong*)p);
}
