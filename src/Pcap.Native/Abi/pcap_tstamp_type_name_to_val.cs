using System;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;

namespace Pcap.Native.Abi;

/// <summary>pcap_tstamp_type_name_to_val(3PCAP), pcap_tstamp_type_val_to_name and _val_to_description.</summary>
static unsafe class TstampTypeNames
{
    [UnmanagedCallersOnly(EntryPoint = "pcap_tstamp_type_name_to_val")]
    public static int NameToVal(byte* name)
    {
        try
        {
            if (name == null) return PcapError.Error;
            return TimestampTypes.Value(Marshal.PtrToStringUTF8((IntPtr)name) ?? "");
        }
        catch (Exception)
        {
            return PcapError.Error;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_tstamp_type_val_to_name")]
    public static byte* ValToName(int type) => NativeText.Of(TimestampTypes.Find(type)?.Name);

    [UnmanagedCallersOnly(EntryPoint = "pcap_tstamp_type_val_to_description")]
    public static byte* ValToDescription(int type) => NativeText.Of(TimestampTypes.Find(type)?.Description);
}
