using System;
using System.Text;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Linux;

/// <summary>struct ifreq (40 bytes): the interface name, then a 24-byte union the ioctl reads or fills.</summary>
unsafe struct IfReq
{
    public fixed byte Bytes[Libc.IfReqSize];

    public IfReq(string device)
    {
        fixed (byte* b = Bytes)
        {
            // Like strlcpy into ifr_name: truncated, always NUL-terminated.
            int n = Math.Min(Encoding.UTF8.GetByteCount(device), Libc.IFNAMSIZ - 1);
            Encoding.UTF8.GetBytes(device.AsSpan(0, Math.Min(device.Length, n)), new Span<byte>(b, n));
        }
    }

    public short Flags { get { fixed (byte* b = Bytes) return *(short*)(b + 16); } set { fixed (byte* b = Bytes) *(short*)(b + 16) = value; } }
    public int Int { get { fixed (byte* b = Bytes) return *(int*)(b + 16); } }
    public ushort AddressFamily { get { fixed (byte* b = Bytes) return *(ushort*)(b + 16); } set { fixed (byte* b = Bytes) *(ushort*)(b + 16) = value; } }
    public uint InetAddress { get { fixed (byte* b = Bytes) return *(uint*)(b + 20); } } // sockaddr_in.sin_addr, network order
    public void SetData(void* data) { fixed (byte* b = Bytes) *(void**)(b + 16) = data; }

    /// <summary>ioctl on <paramref name="fd"/>; returns -1 with errno in <paramref name="errno"/>.</summary>
    public int Ioctl(int fd, uint request, out int errno)
    {
        fixed (byte* b = Bytes)
        {
            int rc = Libc.Ioctl(fd, request, b);
            errno = rc < 0 ? System.Runtime.InteropServices.Marshal.GetLastPInvokeError() : 0;
            return rc;
        }
    }
}
