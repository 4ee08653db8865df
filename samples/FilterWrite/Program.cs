// Copies the packets of a capture that match a pcap-filter(7) expression into a new capture, with the
// input's link type, snap length and time-stamp precision. Usage: FilterWrite INPUT FILTER OUTPUT
using System;
using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: FilterWrite INPUT FILTER OUTPUT");
    return 2;
}

try
{
    using var reader = new CaptureFileReaderDevice(args[0]);
    reader.Open(new DeviceConfiguration { TimestampResolution = TimestampResolution.Nanosecond });
    reader.Filter = args[1];

    using var writer = new CaptureFileWriterDevice(args[2]);
    writer.Open(new DeviceConfiguration
    {
        LinkLayerType = reader.LinkType,
        TimestampResolution = TimestampResolution.Nanosecond,
    });

    int kept = 0;
    // Only packets that passed the filter arrive here.
    while (reader.GetNextPacket(out PacketCapture capture) == GetPacketStatus.PacketRead)
    {
        writer.Write(capture.GetPacket());
        kept++;
    }
    Console.WriteLine($"{kept} packets matching \"{args[1]}\" written to {args[2]}");
    return 0;
}
catch (PcapException e)
{
    Console.Error.WriteLine($"FilterWrite: {e.Message}");
    return 1;
}
