using System;
using Pcap.Engine.Handles;

namespace Pcap.Engine.Capture.Netmap;

/// <summary>
/// A netmap port name in libnetmap's nmport syntax (facts doc 1.13):
/// <c>netmap:IF</c> or <c>valeX:PORT</c>, then an optional pipe end <c>{ID</c> / <c>}ID</c>,
/// ring selection <c>-N</c> (one hw ring pair), <c>^</c> / <c>^N</c> (host rings), <c>*</c> (hw and host
/// rings: our transparent mode), flags after <c>/</c> (x z t r R T) and a memory id after <c>@</c>.
/// </summary>
public sealed class PortName
{
    public const string NetmapPrefix = "netmap:";

    /// <summary>What goes into nmreq_header.nr_name: the port without "netmap:", VALE ports whole, pipe suffix kept.</summary>
    public string KernelName { get; private init; } = "";

    /// <summary>The Linux interface behind a NIC port (for promiscuous mode), or null for VALE ports and pipes.</summary>
    public string? Interface { get; private init; }

    public bool IsVale { get; private init; }
    public bool IsPipe { get; private init; }
    public uint Mode { get; private init; } = NetmapAbi.RegAllNic;
    public ushort RingId { get; private init; }
    public ulong Flags { get; private init; }
    public ushort MemId { get; private init; }

    /// <summary>
    /// Hw and host rings bound together (<c>*</c>): every frame is forwarded to the other side after
    /// capture (NR_FORWARD + NS_FORWARD), so the host keeps its network.
    /// </summary>
    public bool Transparent => Mode == NetmapAbi.RegNicSw;

    /// <summary>True for names the netmap module takes: <c>netmap:</c> and <c>vale</c> names.</summary>
    public static bool IsNetmapName(string device) =>
        device.StartsWith(NetmapPrefix, StringComparison.Ordinal) || IsValeName(device);

    // nmport: "vale" followed by an optional alphanumeric switch id, then ':'.
    static bool IsValeName(string device)
    {
        if (!device.StartsWith("vale", StringComparison.Ordinal)) return false;
        int colon = device.IndexOf(':');
        if (colon < 0) return false;
        for (int i = 4; i < colon; i++)
            if (!char.IsAsciiLetterOrDigit(device[i]) && device[i] != '_') return false;
        return true;
    }

    const string Separators = "{}-^*/@";

    /// <summary>Parses a claimed name; throws <see cref="PcapException"/> naming the fault.</summary>
    public static PortName Parse(string device)
    {
        bool vale = IsValeName(device);
        if (!vale && !device.StartsWith(NetmapPrefix, StringComparison.Ordinal))
            throw Invalid(device, "not a netmap port name");
        int start = vale ? device.IndexOf(':') + 1 : NetmapPrefix.Length;
        int i = start;
        while (i < device.Length && Separators.IndexOf(device[i]) < 0) i++;
        if (i == start) throw Invalid(device, "port name missing");
        string name = vale ? device[..i] : device[start..i];
        string? iface = vale ? null : name;

        bool pipe = false;
        if (i < device.Length && (device[i] == '{' || device[i] == '}'))
        {
            int idStart = ++i;
            while (i < device.Length && (char.IsAsciiLetterOrDigit(device[i]) || device[i] == '_')) i++;
            if (i == idStart) throw Invalid(device, "pipe identifier missing");
            name = vale ? device[..i] : device[start..i];
            pipe = true;
            iface = null;
        }

        uint mode = NetmapAbi.RegAllNic;
        ushort ring = 0;
        if (i < device.Length)
        {
            switch (device[i])
            {
                case '-':
                    i++;
                    ring = Number(device, ref i, 4095, "ring number");
                    mode = NetmapAbi.RegOneNic;
                    break;
                case '^':
                    i++;
                    mode = NetmapAbi.RegSw;
                    if (i < device.Length && char.IsAsciiDigit(device[i]))
                    {
                        ring = Number(device, ref i, 4095, "host ring number");
                        mode = NetmapAbi.RegOneSw;
                    }
                    break;
                case '*':
                    i++;
                    mode = NetmapAbi.RegNicSw;
                    break;
            }
        }

        ulong flags = 0;
        if (i < device.Length && device[i] == '/')
        {
            for (i++; i < device.Length && device[i] != '@'; i++)
            {
                flags |= device[i] switch
                {
                    'x' => NetmapAbi.Exclusive,
                    'z' => NetmapAbi.ZcopyMon,
                    't' => NetmapAbi.MonitorTx,
                    'r' => NetmapAbi.MonitorRx,
                    'R' => NetmapAbi.RxRingsOnly,
                    'T' => NetmapAbi.TxRingsOnly,
                    _ => throw Invalid(device, $"unknown flag '{device[i]}'"),
                };
            }
        }

        ushort memId = 0;
        if (i < device.Length && device[i] == '@')
        {
            i++;
            if (i >= device.Length || !char.IsAsciiDigit(device[i]))
                throw Invalid(device, "only a memory id may follow '@' (libnetmap's @conf, @extmem, @share and @offset options are not supported)");
            memId = Number(device, ref i, ushort.MaxValue, "memory id");
        }
        if (i != device.Length) throw Invalid(device, $"unexpected '{device[i..]}'");
        if (name.Length >= NetmapAbi.NameSize) throw Invalid(device, "port name too long");
        if (vale && (mode == NetmapAbi.RegSw || mode == NetmapAbi.RegOneSw || mode == NetmapAbi.RegNicSw))
            throw Invalid(device, "VALE ports have no host rings");

        return new PortName
        {
            KernelName = name,
            Interface = iface,
            IsVale = vale,
            IsPipe = pipe,
            Mode = mode,
            RingId = ring,
            Flags = flags,
            MemId = memId,
        };
    }

    static ushort Number(string device, ref int i, int max, string what)
    {
        int start = i, value = 0;
        while (i < device.Length && char.IsAsciiDigit(device[i]))
        {
            value = value * 10 + (device[i] - '0');
            if (value > max) throw Invalid(device, $"{what} out of range");
            i++;
        }
        if (i == start) throw Invalid(device, $"{what} expected");
        return (ushort)value;
    }

    static PcapException Invalid(string device, string why) =>
        new(PcapError.Error, $"netmap: invalid port name '{device}': {why}");
}
