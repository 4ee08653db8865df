using System.Buffers.Binary;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Bluetooth;

/// <summary>
/// What libpcap's Bluetooth readers take from a received message: the direction and time stamp in
/// its control messages, and the big-endian pseudo-header written before the data.
/// </summary>
public static unsafe class HciPacket
{
    /// <summary>
    /// The control messages of an HCI raw socket (bt_read_linux): HCI_CMSG_DIR's int and HCI_CMSG_TSTAMP's
    /// struct timeval, whatever their level, as libpcap reads them.
    /// </summary>
    public static void ReadHciControl(byte* control, int length, out bool incoming, ref PacketHeader header)
    {
        incoming = false;
        for (int at = 0; at + Libc.CmsgHeaderLength <= length;)
        {
            long len = *(long*)(control + at);
            if (len < Libc.CmsgHeaderLength || at + len > length) break;
            int type = *(int*)(control + at + 12);
            byte* data = control + at + Libc.CmsgHeaderLength;
            if (type == Hci.CmsgDirection && len >= Libc.CmsgHeaderLength + 4)
                incoming = *(int*)data != 0;
            else if (type == Hci.CmsgTimeStamp && len >= Libc.CmsgHeaderLength + 16)
            {
                header.TvSec = *(long*)data;
                header.TvUsec = *(long*)(data + 8);
            }
            at += (int)((len + 7) & ~7L);
        }
    }

    /// <summary>The monitor channel's SCM_TIMESTAMP (level SOL_SOCKET only, as bt_monitor_read); zero when absent.</summary>
    public static void ReadMonitorControl(byte* control, int length, ref PacketHeader header)
    {
        header.TvSec = header.TvUsec = 0;
        for (int at = 0; at + Libc.CmsgHeaderLength <= length;)
        {
            long len = *(long*)(control + at);
            if (len < Libc.CmsgHeaderLength || at + len > length) break;
            int level = *(int*)(control + at + 8), type = *(int*)(control + at + 12);
            byte* data = control + at + Libc.CmsgHeaderLength;
            if (level == Libc.SOL_SOCKET && type == Hci.SoTimestamp && len >= Libc.CmsgHeaderLength + 16)
            {
                header.TvSec = *(long*)data;
                header.TvUsec = *(long*)(data + 8);
            }
            at += (int)((len + 7) & ~7L);
        }
    }

    /// <summary>pcap_bluetooth_h4_header: the direction, 1 for received, as a big-endian 32-bit word.</summary>
    public static void WriteH4Header(byte* at, bool incoming) =>
        BinaryPrimitives.WriteUInt32BigEndian(new System.Span<byte>(at, 4), incoming ? 1u : 0u);

    /// <summary>pcap_bluetooth_linux_monitor_header from struct hci_mon_hdr (host order): adapter id and opcode, big-endian.</summary>
    public static void WriteMonitorHeader(byte* at, byte* monitorHeader)
    {
        ushort opcode = *(ushort*)monitorHeader, index = *(ushort*)(monitorHeader + 2);
        BinaryPrimitives.WriteUInt16BigEndian(new System.Span<byte>(at, 2), index);
        BinaryPrimitives.WriteUInt16BigEndian(new System.Span<byte>(at + 2, 2), opcode);
    }
}
