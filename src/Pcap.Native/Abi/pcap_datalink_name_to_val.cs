using System;
using System.Globalization;
using System.Runtime.InteropServices;
using Pcap.Engine.Handles;
using Pcap.Engine.LinkTypes;

namespace Pcap.Native.Abi;

/// <summary>
/// pcap_datalink_name_to_val(3PCAP), pcap_datalink_val_to_name(3PCAP), pcap_datalink_val_to_description
/// and pcap_datalink_val_to_description_or_dlt: libpcap's link-type table. The strings are constants the
/// caller must not free; the "DLT n" text is one static buffer, as libpcap's.
/// </summary>
static unsafe class DataLinkNames
{
    const int UnknownSize = 40;
    static readonly byte* Unknown = (byte*)NativeMemory.AllocZeroed(UnknownSize);

    [UnmanagedCallersOnly(EntryPoint = "pcap_datalink_name_to_val")]
    public static int NameToVal(byte* name)
    {
        try
        {
            if (name == null) return -1;
            return LinkTypeTable.Value(Marshal.PtrToStringUTF8((IntPtr)name) ?? "");
        }
        catch (Exception)
        {
            return -1;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "pcap_datalink_val_to_name")]
    public static byte* ValToName(int dlt) => NativeText.Of(LinkTypeTable.Name(dlt));

    [UnmanagedCallersOnly(EntryPoint = "pcap_datalink_val_to_description")]
    public static byte* ValToDescription(int dlt) => NativeText.Of(LinkTypeTable.Description(dlt));

    [UnmanagedCallersOnly(EntryPoint = "pcap_datalink_val_to_description_or_dlt")]
    public static byte* ValToDescriptionOrDlt(int dlt)
    {
        string? description = LinkTypeTable.Description(dlt);
        if (description != null) return NativeText.Of(description);
        HandleBlock.WriteText(Unknown, UnknownSize, "DLT " + dlt.ToString(CultureInfo.InvariantCulture));
        return Unknown;
    }
}
