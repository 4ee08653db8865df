using Pcap.Engine.Handles;

namespace Pcap.Engine.Capture.Usb;

/// <summary>
/// Walks the events MON_IOCX_MFETCH fetched (offsets into the mapped ring) into a batch: fillers
/// skipped, the filter run on each, each packet marked with its index among the fetched events so
/// that a pcap_breakloop can leave the rest in the ring for the next read.
/// </summary>
public static unsafe class UsbmonRing
{
    /// <summary>
    /// Adds events <paramref name="from"/>.. of <paramref name="offsets"/> (<paramref name="count"/> in
    /// all) to <paramref name="batch"/> until it is full or holds <paramref name="room"/>; returns the
    /// index of the first event not looked at.
    /// </summary>
    public static int Fill(byte* ring, int* offsets, int from, int count, uint maxData, Bpf.Program? filter, PacketBatch batch, int room)
    {
        int i = from;
        for (; i < count && !batch.IsFull && batch.Count < room; i++)
        {
            byte* ev = ring + offsets[i];
            if (UsbmonEvent.IsFiller(ev)) continue;
            var header = UsbmonEvent.Header(ev, maxData);
            if (filter != null && filter.Run(ev, header.Len, header.CapLen) == 0) continue;
            *batch.Add(ev, i) = header;
        }
        return i;
    }
}
