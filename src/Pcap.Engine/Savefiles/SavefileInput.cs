using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Savefiles;

/// <summary>
/// The bytes of a savefile, read in one of two ways:
/// <list type="bullet">
/// <item>large reads (the default): the <c>FILE *</c>'s descriptor read with large <c>read()</c> calls into one
/// buffer, from which records are handed out in place (no copy per packet). A plain walk with large reads over
/// a cached file measured several times faster than a page-faulting mmap walk, and it works the same for pipes
/// and standard input. The <c>FILE *</c> itself is not used, so its position says nothing.</item>
/// <item>following the stream: once the program holds the <c>FILE *</c> (pcap_file, pcap_fopen_offline), every
/// byte is read through it with <c>fread</c>, exactly as many as the record needs, as libpcap reads: the
/// program's <c>ftell</c> then gives where the next record starts, and its <c>fseek</c>/<c>rewind</c>/<c>fsetpos</c>
/// moves the reader.</item>
/// </list>
/// A stream without a descriptor (fmemopen) always follows the stream.
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
    long bufferOffset = -1; // the file offset of buffer[0] when the file is seekable, else -1
    long examined; // one past the last byte the reader asked for

    public SavefileInput(IntPtr file, bool followStream)
    {
        File = file;
        fd = Stdio.Fileno(file);
        if (fd >= 0 && !followStream)
        {
            // The caller may have read through stdio before handing us the FILE *: start where it stands.
            long position = Stdio.Ftello(file);
            if (position >= 0 && Unistd.Lseek(fd, position, Unistd.SeekSet) == position)
                bufferOffset = position;
        }
        FollowsStream = fd < 0 || followStream;
        capacity = ChunkSize;
        buffer = (byte*)NativeMemory.Alloc((nuint)capacity);
    }

    /// <summary>The <c>FILE *</c> (pcap_file).</summary>
    public IntPtr File { get; }

    /// <summary>Every byte comes through the <c>FILE *</c>, so the program may read its position and move it.</summary>
    public bool FollowsStream { get; private set; }

    /// <summary>
    /// From now on the reader follows the <c>FILE *</c>: it is put where the next unconsumed byte lies and the
    /// bytes read ahead are dropped. A stream that cannot be positioned (a pipe) keeps large reads: the program
    /// can neither move it nor learn its position.
    /// </summary>
    public void FollowStream()
    {
        if (FollowsStream || bufferOffset < 0) return;
        long next = bufferOffset + start;
        if (Stdio.Fseek(File, (nint)next, Stdio.SeekSet) != 0) return;
        FollowsStream = true;
        bufferOffset = next;
        start = end = 0;
        endOfFile = false;
    }

    /// <summary>
    /// After a record that ended in error: the bytes the reader asked for are gone, as libpcap's reader has
    /// read them from its stream, so the next record starts after them (and a program that asks for the
    /// <c>FILE *</c> then finds it where libpcap's would stand).
    /// </summary>
    public void DropExamined() => start = Math.Max(start, Math.Min(examined, end));

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
    public long Ensure(long count)
    {
        examined = start + count;
        return end - start >= count ? end - start : Fill(count);
    }

    long Fill(long count)
    {
        if (start > 0)
        {
            // Keep the partial record at the front so that it stays contiguous with what is read next.
            Buffer.MemoryCopy(buffer + start, buffer, capacity, end - start);
            if (bufferOffset >= 0) bufferOffset += start;
            end -= start;
            examined -= start;
            start = 0;
        }
        if (count > capacity)
        {
            long bigger = Math.Max(count, capacity * 2);
            buffer = (byte*)NativeMemory.Realloc(buffer, (nuint)bigger);
            capacity = bigger;
        }
        if (FollowsStream)
        {
            // Exactly what is missing, so that the stream stands at the end of what is consumed; stdio's own
            // end-of-file indicator stays the only one (a program's fseek or clearerr resets it, as with libpcap).
            if (end < count)
                end += ReadStream(buffer + end, count - end);
            return end - start;
        }
        while (end < count && !endOfFile)
        {
            long n = ReadDescriptor(buffer + end, capacity - end);
            if (n == 0)
                endOfFile = true; // sticky, as stdio's end-of-file indicator is
            end += n;
        }
        return end - start;
    }

    long ReadStream(byte* into, long size)
    {
        nuint got = Stdio.FreadUnlocked(into, 1, (nuint)size, File);
        if (got < (nuint)size && Stdio.Ferror(File) != 0)
            throw ReadError(Errno.Current);
        return (long)got;
    }

    long ReadDescriptor(byte* into, long size)
    {
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
