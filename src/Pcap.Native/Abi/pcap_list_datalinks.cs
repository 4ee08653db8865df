using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_list_datalinks(3PCAP), pcap_free_datalinks and pcap_set_datalink(3PCAP).</summary>
static unsafe class ListDataLinks
{
    /// <summary>The DLTs in a malloc'd array the caller frees with pcap_free_datalinks; returns their count.</summary>
    [UnmanagedCallersOnly(EntryPoint = "pcap_list_datalinks")]
    public static int PcapListDatalinks(IntPtr p, int** list)
    {
        try
        {
            var handle = Handle.FromPcap(p);
            if (!handle.Activated) return PcapError.NotActivated; // libpcap leaves the error text alone here
            if (list == null)
            {
                handle.Error = "pcap_list_datalinks: NULL list pointer";
                return PcapError.Error;
            }
            int[] dlts = handle.DataLinks is { Length: > 0 } offered ? offered : [handle.LinkType];
            var array = (int*)NativeMemory.Alloc((nuint)dlts.Length, sizeof(int));
            dlts.AsSpan().CopyTo(new Span<int>(array, dlts.Length));
            *list = array;
            return dlts.Length;
        }
        catch (Exception e)
        {
            return Boundary.Fail(p, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_free_datalinks")]
    public static void PcapFreeDatalinks(int* list) => NativeMemory.Free(list);

    [UnmanagedCallersOnly(EntryPoint = "pcap_set_datalink")]
    public static int PcapSetDatalink(IntPtr p, int dlt)
    {
        try
        {
            return Handle.FromPcap(p).SetDataLink(dlt);
        }
        catch (Exception e)
        {
            return Boundary.Fail(p, e);
        }
    }
}
