using System;

namespace Pcap.Engine.Capture.Linux;

/// <summary>
/// PCAP_FANOUT=ID[:MODE][,defrag][,rollover]: every AF_PACKET handle a program opens joins fanout
/// group ID (setsockopt PACKET_FANOUT), so several unmodified capturing processes share one
/// interface's traffic, each packet going to one of them. libpcap has no such option (its PR #869
/// never landed); without the variable nothing changes.
/// </summary>
public readonly record struct FanoutOption(ushort Id, int Mode, int Flags)
{
    public const string Variable = "PCAP_FANOUT";

    // linux/if_packet.h: PACKET_FANOUT_* modes and flags.
    static readonly (string Name, int Mode)[] Modes =
    [
        ("hash", 0), ("lb", 1), ("cpu", 2), ("rollover", 3), ("random", 4), ("qm", 5),
    ];
    const int FlagRollover = 0x1000, FlagDefrag = 0x8000;

    /// <summary>The int setsockopt(PACKET_FANOUT) takes: the group id below, mode and flags above.</summary>
    public int SocketOptionValue => Id | (Mode | Flags) << 16;

    /// <summary>
    /// Parses the variable's value. Null or empty: no fanout (returns true, option null). Otherwise
    /// false with the text the activation error carries when the value is not understood.
    /// </summary>
    public static bool TryParse(string? value, out FanoutOption? option, out string error)
    {
        option = null;
        error = "";
        if (string.IsNullOrEmpty(value)) return true;

        string[] parts = value.Split(',');
        string group = parts[0];
        string modeName = "hash";
        int colon = group.IndexOf(':');
        if (colon >= 0)
        {
            modeName = group[(colon + 1)..];
            group = group[..colon];
        }
        if (!uint.TryParse(group, System.Globalization.NumberStyles.None, null, out uint id) || id > ushort.MaxValue)
        {
            error = $"{Variable}: fanout group id \"{group}\" is not a number from 0 to 65535";
            return false;
        }
        int mode = -1;
        foreach (var (name, m) in Modes)
            if (name == modeName) mode = m;
        if (mode < 0)
        {
            error = $"{Variable}: unknown fanout mode \"{modeName}\" (hash, lb, cpu, rollover, random or qm)";
            return false;
        }
        int flags = 0;
        for (int i = 1; i < parts.Length; i++)
        {
            switch (parts[i])
            {
                case "defrag": flags |= FlagDefrag; break;
                case "rollover": flags |= FlagRollover; break;
                default:
                    error = $"{Variable}: unknown fanout flag \"{parts[i]}\" (defrag or rollover)";
                    return false;
            }
        }
        option = new FanoutOption((ushort)id, mode, flags);
        return true;
    }
}
