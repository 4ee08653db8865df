using System;
using System.Runtime.InteropServices;
using System.Text;
using Pcap.Engine.Capture;

namespace Pcap.Native.Abi;

/// <summary>
/// pcap_findalldevs(3PCAP) and pcap_freealldevs: pcap_if_t and pcap_addr lists, names, descriptions
/// and sockaddrs all in malloc'd memory, freed by pcap_freealldevs.
/// </summary>
static unsafe class FindAllDevs
{
    [StructLayout(LayoutKind.Sequential)]
    struct PcapIf
    {
        public PcapIf* Next;
        public byte* Name;
        public byte* Description;
        public PcapAddr* Addresses;
        public uint Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    struct PcapAddr
    {
        public PcapAddr* Next;
        public byte* Addr;
        public byte* Netmask;
        public byte* Broadaddr;
        public byte* Dstaddr;
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_findalldevs")]
    public static int PcapFindalldevs(IntPtr* alldevs, byte* errbuf)
    {
        try
        {
            PcapIf* first = null, last = null;
            foreach (var device in CaptureModules.FindAllDevices())
            {
                var entry = (PcapIf*)NativeMemory.AllocZeroed((nuint)sizeof(PcapIf));
                entry->Name = CString(device.Name);
                entry->Description = device.Description == null ? null : CString(device.Description);
                entry->Flags = device.Flags;
                PcapAddr* lastAddr = null;
                foreach (var a in device.Addresses)
                {
                    var addr = (PcapAddr*)NativeMemory.AllocZeroed((nuint)sizeof(PcapAddr));
                    addr->Addr = Bytes(a.Address);
                    addr->Netmask = Bytes(a.Netmask);
                    addr->Broadaddr = Bytes(a.Broadcast);
                    addr->Dstaddr = Bytes(a.Destination);
                    if (lastAddr == null) entry->Addresses = addr; else lastAddr->Next = addr;
                    lastAddr = addr;
                }
                if (last == null) first = entry; else last->Next = entry;
                last = entry;
            }
            *alldevs = (IntPtr)first;
            return 0;
        }
        catch (Exception e)
        {
            *alldevs = IntPtr.Zero;
            Boundary.Fail(errbuf, e);
            return -1;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_freealldevs")]
    public static void PcapFreealldevs(IntPtr alldevs)
    {
        var entry = (PcapIf*)alldevs;
        while (entry != null)
        {
            var next = entry->Next;
            var addr = entry->Addresses;
            while (addr != null)
            {
                var nextAddr = addr->Next;
                NativeMemory.Free(addr->Addr);
                NativeMemory.Free(addr->Netmask);
                NativeMemory.Free(addr->Broadaddr);
                NativeMemory.Free(addr->Dstaddr);
                NativeMemory.Free(addr);
                addr = nextAddr;
            }
            NativeMemory.Free(entry->Name);
            NativeMemory.Free(entry->Description);
            NativeMemory.Free(entry);
            entry = next;
        }
    }

    static byte* CString(string text)
    {
        int n = Encoding.UTF8.GetByteCount(text);
        var s = (byte*)NativeMemory.Alloc((nuint)n + 1);
        Encoding.UTF8.GetBytes(text, new Span<byte>(s, n));
        s[n] = 0;
        return s;
    }

    static byte* Bytes(byte[]? data)
    {
        if (data == null) return null;
        var s = (byte*)NativeMemory.Alloc((nuint)data.Length);
        data.CopyTo(new Span<byte>(s, data.Length));
        return s;
    }
}
