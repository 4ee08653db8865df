using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_statustostr(3PCAP) and pcap_strerror(3PCAP).</summary>
static unsafe class StatusToStr
{
    // libpcap's buffers for unknown codes and errno texts are thread-local statics.
    const int UnknownSize = 26, ErrnoSize = Boundary.ErrbufSize;
    [ThreadStatic] static nint unknownBuffer;
    [ThreadStatic] static nint errnoBuffer;

    [UnmanagedCallersOnly(EntryPoint = "pcap_statustostr")]
    public static byte* PcapStatustostr(int status)
    {
        string? text = StatusText.Known(status);
        if (text != null) return NativeText.Of(text);
        if (unknownBuffer == 0) unknownBuffer = (nint)NativeMemory.AllocZeroed(UnknownSize);
        HandleBlock.WriteText((byte*)unknownBuffer, UnknownSize, StatusText.Of(status));
        return (byte*)unknownBuffer;
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_strerror")]
    public static byte* PcapStrerror(int errnum)
    {
        if (errnoBuffer == 0) errnoBuffer = (nint)NativeMemory.AllocZeroed(ErrnoSize);
        return ErrnoText.Of(errnum, (byte*)errnoBuffer, ErrnoSize);
    }
}
