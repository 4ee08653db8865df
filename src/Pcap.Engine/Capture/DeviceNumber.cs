namespace Pcap.Engine.Capture;

/// <summary>
/// The numbers ending device names of libpcap's usbmon and Bluetooth modules: pcap_create claims a
/// name that is the prefix and a whole strtol number not below 0; activation reads the number as
/// sscanf's "%d" does.
/// </summary>
public static class DeviceNumber
{
    /// <summary>libpcap's usb_create/bt_create test: <paramref name="prefix"/> and a whole number &gt;= 0.</summary>
    public static bool Claims(string device, string prefix)
    {
        string last = Tail(device);
        if (!last.StartsWith(prefix, System.StringComparison.Ordinal)) return false;
        int at = prefix.Length, end = Number(last, ref at, out long value, allowHuge: true);
        return end > 0 && at == last.Length && value >= 0;
    }

    /// <summary>
    /// What libpcap's create functions compare: the name from its last '/' on, that '/' included
    /// (strrchr's pointer), so a name with a '/' is never theirs.
    /// </summary>
    public static string Tail(string device) => device[System.Math.Max(0, device.LastIndexOf('/'))..];

    /// <summary>sscanf(device, "PREFIX%d"): the number after <paramref name="prefix"/> at the start of the whole name.</summary>
    public static bool Scan(string device, string prefix, out int number)
    {
        number = 0;
        if (!device.StartsWith(prefix, System.StringComparison.Ordinal)) return false;
        int at = prefix.Length;
        if (Number(device, ref at, out long value, allowHuge: false) == 0) return false;
        number = (int)value; // a number past int's range names no device either way
        return true;
    }

    /// <summary>strtol's syntax: blanks, a sign, decimal digits. Returns the digits read (0: none) and moves <paramref name="at"/> past them.</summary>
    static int Number(string text, ref int at, out long value, bool allowHuge)
    {
        value = 0;
        int i = at;
        while (i < text.Length && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) i++;
        bool negative = false;
        if (i < text.Length && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
        int digits = 0;
        for (; i < text.Length && text[i] >= '0' && text[i] <= '9'; i++, digits++)
        {
            // strtol saturates at LONG_MAX; a huge number stays "not below 0" either way.
            if (value < long.MaxValue / 10) value = value * 10 + (text[i] - '0');
            else if (allowHuge) value = long.MaxValue;
        }
        if (digits == 0) return 0;
        if (negative) value = -value;
        at = i;
        return digits;
    }
}
