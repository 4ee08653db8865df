using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Bpf;

namespace Pcap.Engine.Tests;

/// <summary>
/// The system libpcap 1.10.3 (Debian's libpcap.so.0.8), loaded in the test process as the reference
/// for the differential tests of the BPF machine, its text and the link-type tables.
/// </summary>
static unsafe class BpfReference
{
    public const string Path = "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8";
    static readonly nint Library = NativeLibrary.Load(Path);
    static readonly nint Libc = NativeLibrary.Load("libc.so.6");

    static nint Get(string name) => NativeLibrary.GetExport(Library, name);

    public static readonly delegate* unmanaged<Instruction*, byte*, uint, uint, uint> Filter =
        (delegate* unmanaged<Instruction*, byte*, uint, uint, uint>)Get("bpf_filter");
    public static readonly delegate* unmanaged<Instruction*, int, int> Validate =
        (delegate* unmanaged<Instruction*, int, int>)Get("bpf_validate");
    public static readonly delegate* unmanaged<Instruction*, int, byte*> Image =
        (delegate* unmanaged<Instruction*, int, byte*>)Get("bpf_image");
    public static readonly delegate* unmanaged<void*, int, void> Dump =
        (delegate* unmanaged<void*, int, void>)Get("bpf_dump");
    public static readonly delegate* unmanaged<int, byte*> DatalinkValToName =
        (delegate* unmanaged<int, byte*>)Get("pcap_datalink_val_to_name");
    public static readonly delegate* unmanaged<int, byte*> DatalinkValToDescription =
        (delegate* unmanaged<int, byte*>)Get("pcap_datalink_val_to_description");
    public static readonly delegate* unmanaged<int, byte*> DatalinkValToDescriptionOrDlt =
        (delegate* unmanaged<int, byte*>)Get("pcap_datalink_val_to_description_or_dlt");
    public static readonly delegate* unmanaged<byte*, int> DatalinkNameToVal =
        (delegate* unmanaged<byte*, int>)Get("pcap_datalink_name_to_val");
    public static readonly delegate* unmanaged<int, byte*> StatusToStr =
        (delegate* unmanaged<int, byte*>)Get("pcap_statustostr");
    public static readonly delegate* unmanaged<int, byte*> TstampTypeValToName =
        (delegate* unmanaged<int, byte*>)Get("pcap_tstamp_type_val_to_name");
    public static readonly delegate* unmanaged<int, byte*> TstampTypeValToDescription =
        (delegate* unmanaged<int, byte*>)Get("pcap_tstamp_type_val_to_description");
    public static readonly delegate* unmanaged<byte*, int> TstampTypeNameToVal =
        (delegate* unmanaged<byte*, int>)Get("pcap_tstamp_type_name_to_val");
    public static readonly delegate* unmanaged<int, int, nint> OpenDead =
        (delegate* unmanaged<int, int, nint>)Get("pcap_open_dead");
    public static readonly delegate* unmanaged<nint, int, int> SetDatalink =
        (delegate* unmanaged<nint, int, int>)Get("pcap_set_datalink");
    public static readonly delegate* unmanaged<nint, byte*> Geterr =
        (delegate* unmanaged<nint, byte*>)Get("pcap_geterr");
    public static readonly delegate* unmanaged<nint, void**, byte**, int> NextEx =
        (delegate* unmanaged<nint, void**, byte**, int>)Get("pcap_next_ex");
    public static readonly delegate* unmanaged<nint, void> Close =
        (delegate* unmanaged<nint, void>)Get("pcap_close");
    public static readonly delegate* unmanaged<nint, void*, byte*, int, uint, int> Compile =
        (delegate* unmanaged<nint, void*, byte*, int, uint, int>)Get("pcap_compile");
    public static readonly delegate* unmanaged<void*, void> Freecode =
        (delegate* unmanaged<void*, void>)Get("pcap_freecode");

    static readonly object StdoutLock = new();

    public static string? Text(byte* s) => s == null ? null : Marshal.PtrToStringUTF8((nint)s);

    public static T WithUtf8<T>(string s, Func<nint, T> f)
    {
        nint p = Marshal.StringToCoTaskMemUTF8(s);
        try { return f(p); }
        finally { Marshal.FreeCoTaskMem(p); }
    }

    /// <summary>
    /// Runs <paramref name="write"/> with the process's fd 1 sent to a file, flushing the C library's
    /// stdout before and after, and returns what was written: for functions that print with printf.
    /// </summary>
    public static string CaptureStdout(Action write)
    {
        var fflush = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(Libc, "fflush");
        var dup = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(Libc, "dup");
        var dup2 = (delegate* unmanaged<int, int, int>)NativeLibrary.GetExport(Libc, "dup2");
        var close = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(Libc, "close");
        var open = (delegate* unmanaged<byte*, int, int, int>)NativeLibrary.GetExport(Libc, "open");
        string file = System.IO.Path.GetTempFileName();
        lock (StdoutLock)
        {
            fflush(0);
            int saved = dup(1);
            int fd = WithUtf8(file, p => open((byte*)p, 0x1 | 0x200 /* O_WRONLY|O_TRUNC */, 0));
            dup2(fd, 1);
            close(fd);
            try
            {
                write();
            }
            finally
            {
                fflush(0);
                dup2(saved, 1);
                close(saved);
            }
        }
        string text = System.IO.File.ReadAllText(file);
        System.IO.File.Delete(file);
        return text;
    }
}
