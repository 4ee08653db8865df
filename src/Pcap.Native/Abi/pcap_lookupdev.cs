using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Capture;

namespace Pcap.Native.Abi;

/// <summary>pcap_lookupdev(3PCAP): the first device pcap_findalldevs lists, unless it is a loopback one.</summary>
static unsafe class LookupDev
{
    // libpcap returns a static buffer of IF_NAMESIZE + 1 bytes.
    static readonly byte* Device = (byte*)NativeMemory.AllocZeroed(17);

    [UnmanagedCallersOnly(EntryPoint = "pcap_lookupdev")]
    public static byte* PcapLookupdev(byte* errbuf)
    {
        try
        {
            if (Init.Called)
            {
                Boundary.WriteErrbuf(errbuf, "pcap_lookupdev() is deprecated and is not supported in programs calling pcap_init()");
                return null;
            }
            var devices = CaptureModules.FindAllDevices();
            if (devices.Count == 0 || (devices[0].Flags & 1) != 0) // PCAP_IF_LOOPBACK
            {
                Boundary.WriteErrbuf(errbuf, "no suitable device found");
                return null;
            }
            CopyName(devices[0].Name);
            return Device;
        }
        catch (Exception e)
        {
            Boundary.Fail(errbuf, e);
            return null;
        }
    }

    static void CopyName(string name)
    {
        // Like strlcpy into the 17-byte buffer.
        System.Text.Unicode.Utf8.FromUtf16(name, new Span<byte>(Device, 16), out _, out int n);
        Device[n] = 0;
    }
}
