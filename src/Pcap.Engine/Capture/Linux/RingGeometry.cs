namespace Pcap.Engine.Capture.Linux;

/// <summary>
/// How a packet ring of a given size is cut into blocks and frames (libpcap's create_ring, with
/// larger TPACKET_V3 blocks). The kernel wants blocks of whole pages holding whole frames.
/// </summary>
static class RingGeometry
{
    // libpcap's default ring is 2 MiB of 256 KiB blocks, each a single V3 "frame", and its reader
    // sleeps in poll and is woken once per block; at full rate those wake-ups cost the reader more
    // CPU than its packets. A V3 ring here is 4 MiB by default in blocks of up to 1 MiB, at least
    // four to a ring so the kernel has three quarters of it to fill while one block is read: a
    // quarter of libpcap's wake-ups by default, and more room for a reader that falls behind.
    const int DefaultBufferSize = 2 * 1024 * 1024, DefaultV3BufferSize = 4 * 1024 * 1024;
    const uint MaxV3BlockSize = 1024 * 1024, MinV3Blocks = 4;

    /// <summary>
    /// The block size and frame count for <paramref name="bufferSize"/> bytes (0: the default) of
    /// <paramref name="frameSize"/>-byte frames; the block count is the frames over the frames per block.
    /// </summary>
    public static (uint BlockSize, uint FrameNr) Of(int version, uint frameSize, int bufferSize, int pageSize)
    {
        if (bufferSize <= 0) bufferSize = version == Tpacket.V3 ? DefaultV3BufferSize : DefaultBufferSize;
        // libpcap rounds the buffer up to whole frames, never giving less than asked for.
        uint frameNr = (uint)(((ulong)bufferSize + frameSize - 1) / frameSize);
        uint blockSize = (uint)pageSize;
        while (blockSize < frameSize) blockSize <<= 1;
        if (version != Tpacket.V3)
            return (blockSize, frameNr / (blockSize / frameSize) * (blockSize / frameSize));
        while (blockSize < MaxV3BlockSize && (ulong)blockSize * 2 * MinV3Blocks <= (ulong)frameNr * frameSize)
            blockSize <<= 1;
        uint framesPerBlock = blockSize / frameSize;
        return (blockSize, (frameNr + framesPerBlock - 1) / framesPerBlock * framesPerBlock);
    }
}
