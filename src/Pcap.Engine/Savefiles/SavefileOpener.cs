using System;
using System.Runtime.InteropServices;
using System.Text;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Savefiles;

/// <summary>pcap_open_offline and pcap_fopen_offline (libpcap's savefile.c): the file, then the format its first bytes name.</summary>
public static unsafe class SavefileOpener
{
    /// <summary>Opens a path ("-" is standard input). Throws <see cref="PcapException"/> with libpcap's text.</summary>
    public static SavefileHandle Open(string? path, int precision)
    {
        if (path == null)
            throw new PcapException("A null pointer was supplied as the file name");
        IntPtr file;
        if (path == "-")
            file = Stdio.Stdin;
        else
        {
            var name = Encoding.UTF8.GetBytes(path + "\0");
            fixed (byte* p = name)
            fixed (byte* mode = "rb\0"u8)
                file = Stdio.Fopen(p, mode);
            if (file == IntPtr.Zero)
                throw new PcapException($"{path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        try
        {
            return Open(file, precision, followStream: false);
        }
        catch
        {
            if (file != Stdio.Stdin)
                Stdio.Fclose(file);
            throw;
        }
    }

    /// <summary>
    /// Reads a savefile from a <c>FILE *</c> (pcap_fopen_offline). On success the handle owns it and
    /// pcap_close closes it; on failure it stays the caller's. The caller holds the stream and may move it,
    /// so the reader follows it from the start.
    /// </summary>
    public static SavefileHandle Open(IntPtr file, int precision) => Open(file, precision, followStream: true);

    static SavefileHandle Open(IntPtr file, int precision, bool followStream)
    {
        var input = new SavefileInput(file, followStream);
        try
        {
            long got = input.Ensure(4);
            if (got < 4)
                throw new PcapException($"truncated dump file; tried to read 4 file header bytes, only got {got}");
            uint magic = *(uint*)input.Current;
            return (SavefileHandle?)PcapSavefile.TryOpen(input, magic, precision)
                ?? (SavefileHandle?)PcapngSavefile.TryOpen(input, magic, precision)
                ?? throw new PcapException("unknown file format");
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }
}
