using System.IO;
using System.Runtime.InteropServices;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Usb;

/// <summary>
/// libpcap's probe_devices: at activation every device node of the bus (/dev/bus/usb/BBB/*) is asked
/// for its device descriptor, its configuration descriptor's first 9 bytes, then the whole
/// configuration, so that the capture holds what a dissector needs. Failures are ignored, as there.
/// </summary>
static unsafe class UsbDeviceProbe
{
    const nuint IoctlControl = 0xC0185500; // USBDEVFS_CONTROL, struct usbdevfs_ctrltransfer (24 bytes)
    const byte DirectionIn = 0x80, GetDescriptor = 6, DeviceDescriptor = 1, ConfigDescriptor = 2;
    const int DeviceDescriptorLength = 18, ConfigHeaderLength = 9;
    const uint TimeoutMs = 5000;

    [StructLayout(LayoutKind.Sequential)]
    struct ControlTransfer
    {
        public byte RequestType, Request;
        public ushort Value, Index, Length;
        public uint Timeout;
        public void* Data;
    }

    public static void Probe(int bus)
    {
        string folder = $"/dev/bus/usb/{bus:D3}";
        string[] nodes;
        try
        {
            nodes = Directory.GetFileSystemEntries(folder);
        }
        catch (IOException) { return; }
        catch (System.UnauthorizedAccessException) { return; }
        byte* descriptor = stackalloc byte[DeviceDescriptorLength];
        byte* config = stackalloc byte[ConfigHeaderLength];
        foreach (string node in nodes)
        {
            if (Path.GetFileName(node).StartsWith('.')) continue;
            int fd = Libc.Open(node, Libc.O_RDWR | Libc.O_CLOEXEC);
            if (fd < 0) continue;
            var control = new ControlTransfer
            {
                RequestType = DirectionIn, Request = GetDescriptor, Value = DeviceDescriptor << 8,
                Length = DeviceDescriptorLength, Timeout = TimeoutMs, Data = descriptor,
            };
            Libc.Ioctl(fd, IoctlControl, &control);
            control.Value = ConfigDescriptor << 8;
            control.Length = ConfigHeaderLength;
            control.Data = config;
            if (Libc.Ioctl(fd, IoctlControl, &control) >= 0)
            {
                ushort total = (ushort)(config[2] | config[3] << 8); // wTotalLength, little-endian
                control.Length = total;
                control.Data = NativeMemory.Alloc(total == 0 ? 1u : total);
                Libc.Ioctl(fd, IoctlControl, &control);
                NativeMemory.Free(control.Data);
            }
            Libc.Close(fd);
        }
    }
}
