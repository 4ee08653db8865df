using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using Pcap.Engine.Bpf;

namespace Pcap.Engine.Tests;

/// <summary>The system libpcap 1.10.3, loaded beside our engine: the reference compiler and interpreter.</summary>
internal sealed unsafe class CompilerReference
{
    public const string LibraryPath = "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8";

    [StructLayout(LayoutKind.Sequential)]
    private struct BpfProgram { public uint Len; public Instruction* Insns; }

    [StructLayout(LayoutKind.Sequential)]
    private struct PktHdr { public long Sec; public long Usec; public uint Caplen; public uint Len; }

    private readonly delegate* unmanaged<int, int, IntPtr> _openDead;
    private readonly delegate* unmanaged<IntPtr, BpfProgram*, byte*, int, uint, int> _compile;
    private readonly delegate* unmanaged<IntPtr, byte*> _geterr;
    private readonly delegate* unmanaged<BpfProgram*, void> _freecode;
    private readonly delegate* unmanaged<IntPtr, void> _close;
    private readonly delegate* unmanaged<Instruction*, byte*, uint, uint, uint> _filter;
    private readonly delegate* unmanaged<Instruction*, int, int> _validate;
    private readonly delegate* unmanaged<byte*, byte*, IntPtr> _openOffline;
    private readonly delegate* unmanaged<IntPtr, PktHdr**, byte**, int> _nextEx;
    private readonly delegate* unmanaged<IntPtr, int> _datalink;
    private readonly delegate* unmanaged<byte*, int> _nameToVal;
    private readonly delegate* unmanaged<int, byte*> _valToName;

    public static CompilerReference? TryLoad()
    {
        if (!File.Exists(LibraryPath)) return null;
        return new CompilerReference(NativeLibrary.Load(LibraryPath));
    }

    private CompilerReference(IntPtr lib)
    {
        _openDead = (delegate* unmanaged<int, int, IntPtr>)NativeLibrary.GetExport(lib, "pcap_open_dead");
        _compile = (delegate* unmanaged<IntPtr, BpfProgram*, byte*, int, uint, int>)NativeLibrary.GetExport(lib, "pcap_compile");
        _geterr = (delegate* unmanaged<IntPtr, byte*>)NativeLibrary.GetExport(lib, "pcap_geterr");
        _freecode = (delegate* unmanaged<BpfProgram*, void>)NativeLibrary.GetExport(lib, "pcap_freecode");
        _close = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(lib, "pcap_close");
        _filter = (delegate* unmanaged<Instruction*, byte*, uint, uint, uint>)NativeLibrary.GetExport(lib, "bpf_filter");
        _validate = (delegate* unmanaged<Instruction*, int, int>)NativeLibrary.GetExport(lib, "bpf_validate");
        _openOffline = (delegate* unmanaged<byte*, byte*, IntPtr>)NativeLibrary.GetExport(lib, "pcap_open_offline");
        _nextEx = (delegate* unmanaged<IntPtr, PktHdr**, byte**, int>)NativeLibrary.GetExport(lib, "pcap_next_ex");
        _datalink = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(lib, "pcap_datalink");
        _nameToVal = (delegate* unmanaged<byte*, int>)NativeLibrary.GetExport(lib, "pcap_datalink_name_to_val");
        _valToName = (delegate* unmanaged<int, byte*>)NativeLibrary.GetExport(lib, "pcap_datalink_val_to_name");
    }

    private static byte[] CString(string s)
    {
        var b = new byte[System.Text.Encoding.UTF8.GetByteCount(s) + 1];
        System.Text.Encoding.UTF8.GetBytes(s, 0, s.Length, b, 0);
        return b;
    }

    public int LinkTypeValue(string name)
    {
        fixed (byte* p = CString(name)) return _nameToVal(p);
    }

    /// <summary>The link types libpcap has a name for (pcap_datalink_val_to_name), with their names.</summary>
    public List<(int Dlt, string Name)> NamedLinkTypes()
    {
        var list = new List<(int, string)>();
        for (int v = 0; v < 65536; v++)
        {
            byte* n = _valToName(v);
            if (n != null) list.Add((v, Marshal.PtrToStringUTF8((IntPtr)n)!));
        }
        return list;
    }

    /// <summary>libpcap's program, or its error text.</summary>
    public (Instruction[]? Program, string? Error) Compile(string expression, int linkType, int snapLength, bool optimize, uint netmask)
    {
        IntPtr handle = _openDead(linkType, snapLength);
        try
        {
            BpfProgram prog = default;
            fixed (byte* e = CString(expression))
            {
                if (_compile(handle, &prog, e, optimize ? 1 : 0, netmask) != 0)
                    return (null, Marshal.PtrToStringUTF8((IntPtr)_geterr(handle)));
            }
            var result = new ReadOnlySpan<Instruction>(prog.Insns, (int)prog.Len).ToArray();
            _freecode(&prog);
            return (result, null);
        }
        finally { _close(handle); }
    }

    public uint Filter(Instruction[] program, Frame frame)
    {
        fixed (Instruction* p = program)
        fixed (byte* d = frame.Data)
            return _filter(p, d, frame.WireLength, (uint)frame.Data.Length);
    }

    public bool Validate(Instruction[] program)
    {
        fixed (Instruction* p = program) return _validate(p, program.Length) != 0;
    }

    public readonly record struct Frame(byte[] Data, uint WireLength);

    /// <summary>Every frame of a savefile (pcap or pcapng) read by libpcap, with its link type; null when libpcap refuses it.</summary>
    public (int LinkType, List<Frame> Frames)? ReadSavefile(string path)
    {
        var err = new byte[256];
        IntPtr h;
        fixed (byte* p = CString(path))
        fixed (byte* e = err)
            h = _openOffline(p, e);
        if (h == IntPtr.Zero) return null;
        var frames = new List<Frame>();
        PktHdr* hdr;
        byte* data;
        while (_nextEx(h, &hdr, &data) == 1)
            frames.Add(new Frame(new ReadOnlySpan<byte>(data, (int)hdr->Caplen).ToArray(), hdr->Len));
        int dlt = _datalink(h);
        _close(h);
        return (dlt, frames);
    }
}
