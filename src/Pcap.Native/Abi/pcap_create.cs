using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Capture;

namespace Pcap.Native.Abi;

/// <summary>pcap_create(3PCAP): the first capture module claiming the name creates the handle.</summary>
static unsafe class Create
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_create")]
    public static IntPtr PcapCreate(byte* device, byte* errbuf)
    {
        try
        {
            // A null name is the "any" device, as in libpcap 1.10.
            string name = device == null ? "any" : Marshal.PtrToStringUTF8((IntPtr)device) ?? "any";
            var handle = CaptureModules.For(name).Create(name);
            return (IntPtr)handle.Block;
        }
        catch (Exception e)
        {
            Boundary.Fail(errbuf, e);
            return IntPtr.Zero;
        }
    }
}
