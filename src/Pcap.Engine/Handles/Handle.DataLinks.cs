using Pcap.Engine.LinkTypes;

namespace Pcap.Engine.Handles;

// The link-type side of a handle: pcap_datalink_ext, pcap_list_datalinks and pcap_set_datalink.
public abstract partial class Handle
{
    /// <summary>libpcap's linktype_ext (pcap_datalink_ext): the FCS-length bits of a savefile's link-type field.</summary>
    public int LinkTypeExt { get; set; }

    /// <summary>The DLTs the device offers (libpcap's dlt_list), or null when it offers only <see cref="LinkType"/>.</summary>
    public virtual int[]? DataLinks => null;

    /// <summary>
    /// The module's set_datalink_op, called for a DLT of <see cref="DataLinks"/> other than the
    /// current one; returns 0, or -1 with <see cref="Error"/> set. The caller then sets <see cref="LinkType"/>.
    /// </summary>
    protected virtual int ChangeDataLink(int dlt) => 0;

    /// <summary>pcap_set_datalink with libpcap 1.10.3's checks and error text.</summary>
    public int SetDataLink(int dlt)
    {
        int[]? list = DataLinks;
        if (dlt >= 0)
        {
            if (list == null || list.Length == 0)
            {
                // No list: only the handle's own link type is "supported".
                if (LinkType == dlt) return 0;
            }
            else if (System.Array.IndexOf(list, dlt) >= 0)
            {
                // An Ethernet device offering DOCSIS only relabels its frames (libpcap does the same).
                bool docsis = list.Length == 2 && list[0] == 1 && dlt == 143;
                if (!docsis && ChangeDataLink(dlt) == PcapError.Error) return PcapError.Error;
                LinkType = dlt;
                return 0;
            }
        }
        string? name = LinkTypeTable.Name(dlt);
        Error = name != null
            ? name + " is not one of the DLTs supported by this device"
            : "DLT " + dlt.ToString(System.Globalization.CultureInfo.InvariantCulture) + " is not one of the DLTs supported by this device";
        return PcapError.Error;
    }
}
