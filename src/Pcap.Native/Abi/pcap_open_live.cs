using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Capture;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_open_live(3PCAP): create, set snap length, promiscuous mode and timeout, activate.</summary>
static unsafe class OpenLive
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_open_live")]
    public static IntPtr PcapOpenLive(byte* device, int snaplen, int promisc, int timeoutMs, byte* errbuf)
    {
        LiveHandle? live = null;
        string name = device == null ? "any" : Marshal.PtrToStringUTF8((IntPtr)device) ?? "any";
        try
        {
            live = CaptureModules.For(name).Create(name);
            live.SnapLengthOption = snaplen;
            live.PromiscOption = promisc != 0;
            live.TimeoutOption = timeoutMs;
            int status = live.ActivateCapture();
            if (status >= 0) return (IntPtr)live.Block;
            // libpcap's formats: the device name first, the status text for the special codes.
            string text = status switch
            {
                PcapError.Error => $"{name}: {live.Error}",
                PcapError.NoSuchDevice or PcapError.PermDenied or PcapError.PromiscPermDenied =>
                    $"{name}: {StatusText.Of(status) ?? $"Unknown error: {status}"} ({live.Error})",
                _ => $"{name}: {StatusText.Of(status) ?? $"Unknown error: {status}"}",
            };
            Boundary.WriteErrbuf(errbuf, text);
            live.Dispose();
            return IntPtr.Zero;
        }
        catch (Exception e)
        {
            Boundary.WriteErrbuf(errbuf, $"{name}: {e.Message}");
            live?.Dispose();
            return IntPtr.Zero;
        }
    }
}
