using System.Collections.Generic;
using System.Globalization;

namespace Pcap.Engine.Capture.Netfilter;

/// <summary>libpcap's parse of <c>nflog:G1,G2</c> / <c>nfqueue:N</c> in netfilter_activate: groups, the queue or log kind, or libpcap's text.</summary>
public static class NetfilterGroups
{
    /// <summary>True with the groups (0 when none are named); false with libpcap's error text.</summary>
    public static bool Parse(string device, out bool isQueue, out ushort[] groups, out string error)
    {
        isQueue = false;
        groups = [];
        error = "";
        string rest;
        bool known = true;
        if (device.StartsWith(NetfilterCaptureModule.Nflog, System.StringComparison.Ordinal))
            rest = device[NetfilterCaptureModule.Nflog.Length..];
        else if (device.StartsWith(NetfilterCaptureModule.Nfqueue, System.StringComparison.Ordinal))
        {
            rest = device[NetfilterCaptureModule.Nfqueue.Length..];
            isQueue = true;
        }
        else
        {
            rest = device;
            known = false;
        }
        var list = new List<ushort>();
        int at = 0;
        if (known && rest.Length > 0 && rest[0] == ':')
        {
            at = 1;
            while (at < rest.Length)
            {
                if (list.Count == 32)
                {
                    error = $"Maximum 32 netfilter groups! dev: {device}";
                    return false;
                }
                int end = StrtolEnd(rest, at, out long value);
                if (end != at)
                {
                    if (value < 0 || value > 65535)
                    {
                        error = $"Netfilter group range from 0 to 65535 (got {value.ToString(CultureInfo.InvariantCulture)})";
                        return false;
                    }
                    list.Add((ushort)value);
                    at = end;
                }
                if (at >= rest.Length || rest[at] != ',') break;
                at++;
            }
        }
        if (!known || at < rest.Length)
        {
            error = $"Can't get netfilter group(s) index from {device}";
            return false;
        }
        groups = list.Count == 0 ? [0] : [.. list];
        return true;
    }

    /// <summary>strtol(s, &amp;end, 0): leading blanks, a sign, 0x/0 prefixes; returns where the number ends (start when none).</summary>
    internal static int StrtolEnd(string s, int start, out long value)
    {
        value = 0;
        int i = start;
        while (i < s.Length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) i++;
        bool negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
        int radix = 10;
        if (i + 1 < s.Length && s[i] == '0' && (s[i + 1] | 0x20) == 'x' && i + 2 < s.Length && Digit(s[i + 2], 16) >= 0)
        {
            radix = 16;
            i += 2;
        }
        else if (i < s.Length && s[i] == '0')
        {
            radix = 8;
        }
        int digits = i;
        long v = 0;
        while (i < s.Length && Digit(s[i], radix) >= 0)
        {
            if (v < long.MaxValue / radix) v = v * radix + Digit(s[i], radix); else v = long.MaxValue; // saturates as strtol does
            i++;
        }
        if (i == digits) return start;
        value = negative ? -v : v;
        return i;
    }

    static int Digit(char c, int radix)
    {
        int d = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? (c | 0x20) - 'a' + 10 : 99;
        return d < radix ? d : -1;
    }
}
