using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Pcap.Engine.Capture.Linux;
using Pcap.Engine.Handles;
using Pcap.Engine.Interop;

namespace Pcap.Engine.Capture.Wireless;

/// <summary>
/// A mac80211 monitor interface a handle in monitor mode captures on (libpcap 1.10's
/// enter_rfmon_mode, add_mon_if and del_mon_if in pcap-linux.c): the first free name monN added on
/// the device's wiphy through nl80211, brought up, and deleted at close. Where it differs: the
/// interface is created owned by the handle's generic-netlink socket (NL80211_ATTR_SOCKET_OWNER),
/// which stays open for the handle's life, so the kernel deletes the interface when the process
/// ends without pcap_close: an exit (libpcap deletes it from an atexit handler) and a SIGKILL or a
/// crash too (libpcap's stays behind); names are tried up to mon999 (libpcap tries 2^32 of them).
/// </summary>
public sealed unsafe class MonitorInterface
{
    const int MaximumNames = 1000;
    const short IffUp = 0x1, IffRunning = 0x40;

    readonly string device;
    int socket;
    ushort family;
    uint sequence = (uint)Environment.TickCount;

    public string Name { get; private set; } = "";

    MonitorInterface(string device, int socket)
    {
        this.device = device;
        this.socket = socket;
    }

    /// <summary>libpcap's get_mac80211_phydev: 1 when /sys/class/net/DEVICE/phy80211 is a link (a mac80211 device), 0 when not, or an error.</summary>
    public static int IsMac80211(string device, out string error)
    {
        error = "";
        string path = $"/sys/class/net/{device}/phy80211";
        try
        {
            return new FileInfo(path).LinkTarget != null ? 1 : 0;
        }
        catch (IOException e)
        {
            error = $"{device}: Can't readlink {path}: {e.Message}";
            return PcapError.Error;
        }
        catch (UnauthorizedAccessException)
        {
            error = Libc.ErrnoMessage($"{device}: Can't readlink {path}", EACCES);
            return PcapError.Error;
        }
    }

    /// <summary>
    /// libpcap's enter_rfmon_mode: 1 with the monitor interface added and up, 0 when the device is
    /// not a mac80211 device (the caller reports PCAP_ERROR_RFMON_NOTSUP), or an error code with
    /// libpcap's text. <paramref name="ioctlFd"/> is the capture socket (for the interface flags).
    /// </summary>
    public static int Enter(string device, int ioctlFd, out MonitorInterface? monitor, out string error)
    {
        monitor = null;
        int mac80211 = IsMac80211(device, out error);
        if (mac80211 <= 0) return mac80211;

        int fd = Libc.Socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Nl80211.NetlinkGeneric);
        if (fd < 0)
        {
            error = $"{device}: failed to connect to generic netlink";
            return PcapError.Error;
        }
        var created = new MonitorInterface(device, fd);
        int status = created.Add(ioctlFd, out error);
        if (status < 0)
        {
            created.Release();
            return status;
        }
        status = created.BringUp(ioctlFd, out error);
        if (status < 0)
        {
            created.Remove(out _);
            return status;
        }
        monitor = created;
        return 1;
    }

    int Add(int ioctlFd, out string error)
    {
        byte* request = stackalloc byte[Nl80211.RequestSize];
        var span = new Span<byte>(request, Nl80211.RequestSize);
        uint seq = ++sequence;
        int status = Transact(request, Nl80211.GetFamily(span, seq, Nl80211.FamilyName), seq, out int errno);
        if (status < 0)
        {
            error = $"{device}: failed to allocate generic netlink cache: {Nl80211.ErrorText(errno)}";
            return PcapError.Error;
        }
        if (errno != 0 || family == 0)
        {
            error = $"{device}: nl80211 not found";
            return PcapError.Error;
        }
        var index = new IfReq(device);
        if (index.Ioctl(ioctlFd, Libc.SIOCGIFINDEX, out errno) < 0)
        {
            error = Libc.ErrnoMessage("SIOCGIFINDEX", errno);
            return PcapError.Error;
        }
        bool owned = true;
        for (int n = 0; n < MaximumNames; n++)
        {
            string name = $"mon{n}";
            seq = ++sequence;
            status = Transact(request, Nl80211.NewMonitorInterface(span, family, seq, index.Int, name, owned), seq, out errno);
            if (status == 0 && errno == EINVAL && owned)
            {
                // A kernel that does not take NL80211_ATTR_SOCKET_OWNER here: as libpcap, without it.
                owned = false;
                n--;
                continue;
            }
            if (status < 0)
            {
                error = $"{device}: nl_send_auto_complete failed adding {name} interface: {Nl80211.ErrorText(errno)}";
                return PcapError.Error;
            }
            if (errno == 0)
            {
                Name = name;
                error = "";
                return 0;
            }
            if (!Nl80211.NameUnavailable(errno))
            {
                error = $"{device}: nl_wait_for_ack failed adding {name} interface: {Nl80211.ErrorText(errno)}";
                return PcapError.Error;
            }
        }
        error = $"{device}: No free monN interfaces";
        return PcapError.Error;
    }

    int BringUp(int ioctlFd, out string error)
    {
        error = "";
        var flags = new IfReq(Name);
        if (flags.Ioctl(ioctlFd, Libc.SIOCGIFFLAGS, out int errno) < 0)
        {
            error = Libc.ErrnoMessage($"{device}: Can't get flags for {Name}", errno);
            return PcapError.Error;
        }
        flags.Flags |= IffUp | IffRunning;
        if (flags.Ioctl(ioctlFd, Libc.SIOCSIFFLAGS, out errno) < 0)
        {
            error = Libc.ErrnoMessage($"{device}: Can't set flags for {Name}", errno);
            return PcapError.Error;
        }
        return 0;
    }

    /// <summary>
    /// Sends one request and reads until its acknowledgement: 0 with the kernel's errno in
    /// <paramref name="errno"/> (0: done), or -1 when the socket itself failed (errno set).
    /// </summary>
    int Transact(byte* request, int length, uint seq, out int errno)
    {
        errno = 0;
        if (Libc.Send(socket, request, (nuint)length, 0) < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return -1;
        }
        const int size = 8192;
        byte* reply = (byte*)NativeMemory.Alloc(size);
        try
        {
            for (;;)
            {
                nint got = Libc.Recv(socket, reply, size, 0);
                if (got < 0)
                {
                    errno = Marshal.GetLastPInvokeError();
                    if (errno == EINTR) continue;
                    return -1;
                }
                if (got == 0)
                {
                    errno = EPROTO;
                    return -1;
                }
                if (Nl80211.ReadReply(new ReadOnlySpan<byte>(reply, (int)got), seq, ref family, out errno)) return 0;
            }
        }
        finally
        {
            NativeMemory.Free(reply);
        }
    }

    /// <summary>
    /// libpcap's del_mon_if at close: deletes the interface and closes the socket. Returns false
    /// with the text libpcap prints when it could not be deleted.
    /// </summary>
    public bool Remove(out string error)
    {
        error = "";
        bool removed = true;
        if (socket >= 0 && Name.Length > 0)
        {
            uint ifindex = Libc.IfNameToIndex(Name);
            if (ifindex == 0)
            {
                error = Libc.ErrnoMessage("SIOCGIFINDEX", Marshal.GetLastPInvokeError());
                removed = false;
            }
            else
            {
                byte* request = stackalloc byte[Nl80211.RequestSize];
                uint seq = ++sequence;
                int length = Nl80211.DeleteInterface(new Span<byte>(request, Nl80211.RequestSize), family, seq, (int)ifindex);
                int status = Transact(request, length, seq, out int errno);
                if (status < 0 || errno != 0)
                {
                    error = status < 0
                        ? $"{device}: nl_send_auto_complete failed deleting {Name} interface: {Nl80211.ErrorText(errno)}"
                        : $"{device}: nl_wait_for_ack failed adding {Name} interface: {Nl80211.ErrorText(errno)}";
                    removed = false;
                }
            }
        }
        Release();
        return removed;
    }

    void Release()
    {
        if (socket >= 0) Libc.Close(socket);
        socket = -1;
    }

    /// <summary>What libpcap prints on stderr when the interface could not be deleted at close.</summary>
    public void ReportNotRemoved(string error)
    {
        byte[] text = Encoding.UTF8.GetBytes($"Can't delete monitor interface {Name} ({error}).\nPlease delete manually.\n");
        fixed (byte* t = text) Unistd.Write(2, t, (nuint)text.Length);
    }
}
