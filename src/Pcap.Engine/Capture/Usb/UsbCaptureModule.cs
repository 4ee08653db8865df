using System.Collections.Generic;
using System.IO;

namespace Pcap.Engine.Capture.Usb;

/// <summary>libpcap's usbmon module (pcap-usb-linux.c): <c>usbmonN</c>, bus N, 0 for every bus.</summary>
public sealed class UsbCaptureModule : CaptureModule
{
    const uint StatusNotApplicable = 0x30; // PCAP_IF_CONNECTION_STATUS_NOT_APPLICABLE

    public override bool Claims(string device) => DeviceNumber.Claims(device, Usbmon.Prefix);

    public override LiveHandle Create(string device) => new UsbmonHandle(device);

    /// <summary>libpcap's usb_findalldevs: each /dev/usbmonN in directory order (N read as sscanf's %d).</summary>
    public override void FindAllDevices(List<Device> devices)
    {
        IEnumerable<string> names;
        try
        {
            names = Directory.EnumerateFileSystemEntries("/dev", Usbmon.Prefix + "*");
        }
        catch (IOException) { return; }
        catch (System.UnauthorizedAccessException) { return; }
        foreach (string path in names)
        {
            string name = Path.GetFileName(path);
            if (!DeviceNumber.Scan(name, Usbmon.Prefix, out int bus)) continue;
            devices.Add(bus == 0
                ? new Device($"usbmon{bus}") { Description = "Raw USB traffic, all USB buses", Flags = StatusNotApplicable }
                : new Device($"usbmon{bus}") { Description = $"Raw USB traffic, bus number {bus}" });
        }
    }
}
