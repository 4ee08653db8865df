using System;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Capture.Usb;

/// <summary>
/// One event of the memory-mapped usbmon ring: the kernel's 64-byte mon_bin_hdr (libpcap's
/// pcap_usb_header_mmapped, host byte order), isochronous descriptors, then the data. LINKTYPE
/// USB_LINUX_MMAPPED is that very layout, so an event is delivered in place; only its lengths are
/// computed, as libpcap's usb_read_linux_mmap and fix_linux_usb_mmapped_length do.
/// </summary>
public static unsafe class UsbmonEvent
{
    public const int HeaderLength = 64, IsoDescriptorLength = 16;
    const int EventType = 8, TransferType = 9, Endpoint = 10, DataFlag = 15, TsSec = 16, TsUsec = 24,
        UrbLength = 32, DataLength = 36, DescriptorCount = 60;
    const byte Filler = (byte)'@', Complete = (byte)'C', Isochronous = 0, EndpointIn = 0x80;

    /// <summary>The kernel's filler event at the end of the ring, which carries no URB.</summary>
    public static bool IsFiller(byte* ev) => ev[EventType] == Filler;

    /// <summary>The packet header of an event: time stamp and lengths, the data cut to <paramref name="maxData"/> bytes (the snapshot less the header).</summary>
    public static PacketHeader Header(byte* ev, uint maxData)
    {
        uint dataLength = *(uint*)(ev + DataLength);
        uint caplen = HeaderLength + Math.Min(maxData, dataLength);
        uint len;
        if (ev[DataFlag] != 0)
        {
            // No data: the URB length is the buffer's size, not what was moved.
            len = HeaderLength + dataLength;
        }
        else
        {
            uint descriptors = *(uint*)(ev + DescriptorCount);
            len = HeaderLength + descriptors * IsoDescriptorLength + *(uint*)(ev + UrbLength);
            len = IsochronousInLength(ev, caplen, len);
        }
        return new PacketHeader { TvSec = *(long*)(ev + TsSec), TvUsec = *(int*)(ev + TsUsec), CapLen = caplen, Len = len };
    }

    /// <summary>
    /// libpcap's fix_linux_usb_mmapped_length: an incoming isochronous completion's data is scattered
    /// as its descriptors say, so the length runs to the end of the last non-empty chunk (never below
    /// the captured length), reading only the descriptors that were captured.
    /// </summary>
    static uint IsochronousInLength(byte* ev, uint caplen, uint len)
    {
        uint descriptors = *(uint*)(ev + DescriptorCount);
        if (ev[TransferType] != Isochronous || ev[EventType] != Complete || (ev[Endpoint] & EndpointIn) == 0)
            return len;
        uint end = 0, left = caplen - HeaderLength;
        byte* d = ev + HeaderLength;
        for (uint i = 0; i < descriptors && left >= IsoDescriptorLength; i++, left -= IsoDescriptorLength, d += IsoDescriptorLength)
        {
            uint offset = *(uint*)(d + 4), length = *(uint*)(d + 8);
            if (length != 0 && offset + length > end) end = offset + length;
        }
        uint fixedLength = HeaderLength + descriptors * IsoDescriptorLength + end;
        if (fixedLength >= caplen) len = fixedLength;
        return Math.Max(len, caplen);
    }
}
