using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Savefiles;

/// <summary>
/// The bytes of a savefile: its <c>FILE *</c> read through the descriptor with large <c>read()</c> calls
/// into one buffer, from which records are handed out in place (no copy per packet). A plain walk with
/// large reads over a cached file measured several times faster than a page-faulting mmap walk, and it
/// works the same for pipes and standard input. A stream without a descriptor (fmemopen) is read with fread.
/// </summary>
internal sealed unsafe class SavefileInput : IDisposable
{
    // Large enough that the read() per chunk costs nothing per record, small enough to stay in cache.
    const int ChunkSize = 512 * 1024;

    readonly int fd;
    byte* buffer;
    long capacity;
    long start; // first byte not yet consumed
    long end;   // one past the last byte read
    bool endOfFile;

    public SavefileInput(IntPtr file)
    {
        File = file;
        fd = Stdio.Fileno(file);
        if (fd >= 0)
        {
            // The caller may have read through stdio before handing us the FILE *: start where it stands.
            long position = Stdio.Ftello(file);
            if (position >= 0)
                Unistd.Lseek(fd, position, Unistd.SeekSet);
        }
        capacity = ChunkSize;
        buffer = (byte*)NativeMemory.Alloc((nuint)capacity);
    }

    /// <summary>The <c>FILE *</c> (pcap_file).</summary>
    public IntPtr File { get; }

    /// <summary>The unconsumed bytes start here; valid until the next <see cref="Ensure"/>.</summary>
    public byte* Current => buffer + start;

    public long Available => end - start;

    public void Consume(long count) => start += count;

    /// <summary>Where the unconsumed bytes start in the buffer; a position stays valid until the next fill.</summary>
    public long Position
    {
        get => start;
        set => start = value;
    }

    /// <summary>
    /// Makes at least <paramref name="count"/> bytes available at <see cref="Current"/> and returns how many
    /// are (fewer only at end of file). A read error throws libpcap's "error reading dump file" text.
    /// </summary>
    public long Ensure(long count) => end - start >= count ? end - start : Fill(count);

    long Fill(long count)
    {
        if (start > 0)
        {
            // Keep the partial record at the front so that it stays contiguous with what is read next.
            Buffer.MemoryCopy(buffer + start, buffer, capacity, end - start);
            end -= start;
            start = 0;
        }
        if (count > capacity)
        {
            long bigger = Math.Max(count, capacity * 2);
            buffer = (byte*)NativeMemory.Realloc(buffer, (nuint)bigger);
            capacity = bigger;
        }
        while (end < count && !endOfFile)
        {
            long n = ReadChunk(buffer + end, capacity - end);
            if (n == 0)
                endOfFile = true; // sticky, as stdio's end-of-file indicator is
            end += n;
        }
        return end - start;
    }

    long ReadChunk(byte* into, long size)
    {
        if (fd < 0)
        {
            nuint got = Stdio.Fread(into, 1, (nuint)size, File);
            if (got == 0 && Stdio.Ferror(File) != 0)
                throw ReadError(Marshal.GetLastPInvokeError());
            return (long)got;
        }
        for (;;)
        {
            long n = Unistd.Read(fd, into, (nuint)size);
            if (n >= 0) return n;
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Eintr) throw ReadError(errno);
        }
    }

    const int Eintr = 4;

    static PcapException ReadError(int errno) =>
        new($"error reading dump file: {Marshal.GetPInvokeErrorMessage(errno)}");

    /// <summary>Frees the buffer; the <c>FILE *</c> is the owner's to close.</summary>
    public void Dispose()
    {
        NativeMemory.Free(buffer);
        buffer = null;
        start = end = capacity = 0;
    }
}
