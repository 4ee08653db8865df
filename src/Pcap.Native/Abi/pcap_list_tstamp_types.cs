using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_list_tstamp_types(3PCAP) and pcap_free_tstamp_types: a malloc'd array the caller frees.</summary>
static unsafe class TstampTypes
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_list_tstamp_types")]
    public static int PcapListTstampTypes(IntPtr p, int** typesOut)
    {
        try
        {
            var handle = Handle.FromPcap(p);
            int[] types = handle.TimestampTypes;
            if (types.Length == 0) types = [0]; // host stamps only
            var list = (int*)NativeMemory.Alloc((nuint)types.Length, sizeof(int));
            types.CopyTo(new Span<int>(list, types.Length));
            *typesOut = list;
            return types.Length;
        }
        catch (Exception e) { return Boundary.Fail(p, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_free_tstamp_types")]
    public static void PcapFreeTstampTypes(int* types) => NativeMemory.Free(types);
}
