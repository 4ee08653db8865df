using System;
using System.Buffers.Binary;
using System.Text;

namespace Pcap.Engine.Capture.Wireless;

/// <summary>
/// The generic-netlink messages libpcap 1.10's pcap-linux.c sends through libnl to add and delete
/// a mac80211 monitor interface (linux/netlink.h, linux/genetlink.h, linux/nl80211.h): the
/// controller's family lookup, NL80211_CMD_NEW_INTERFACE and NL80211_CMD_DEL_INTERFACE, and how
/// libnl turns the kernel's errno into its error and text. Pure logic over byte spans, so it is
/// tested over fake memory.
/// </summary>
public static class Nl80211
{
    public const int NetlinkGeneric = 16;            // NETLINK_GENERIC
    public const int HeaderLength = 16;              // struct nlmsghdr
    const int GenlHeaderLength = 4;                  // struct genlmsghdr
    const ushort Request = 1, Ack = 4;               // NLM_F_REQUEST, NLM_F_ACK
    const ushort ErrorType = 2;                      // NLMSG_ERROR
    const ushort Controller = 16;                    // GENL_ID_CTRL
    const byte ControllerGetFamily = 3;              // CTRL_CMD_GETFAMILY
    const ushort ControllerFamilyId = 1, ControllerFamilyName = 2;
    const byte NewInterface = 7, DelInterface = 8;   // NL80211_CMD_*
    const ushort AttrIfindex = 3, AttrIfname = 4, AttrIftype = 5, AttrSocketOwner = 204;
    const uint IftypeMonitor = 6;                    // NL80211_IFTYPE_MONITOR

    /// <summary>Room for any request written here.</summary>
    public const int RequestSize = 128;

    public const string FamilyName = "nl80211";

    /// <summary>CTRL_CMD_GETFAMILY for <paramref name="name"/>; the reply carries CTRL_ATTR_FAMILY_ID.</summary>
    public static int GetFamily(Span<byte> buffer, uint seq, string name)
    {
        int at = Begin(buffer, ControllerGetFamily, 1);
        at = PutString(buffer, at, ControllerFamilyName, name);
        return End(buffer, at, Controller, seq);
    }

    /// <summary>
    /// NL80211_CMD_NEW_INTERFACE of a monitor interface <paramref name="name"/> on the wiphy of
    /// <paramref name="ifindex"/>, as libpcap's add_mon_if; with <paramref name="ownedBySocket"/>
    /// the kernel deletes it when the requesting socket closes (NL80211_ATTR_SOCKET_OWNER).
    /// </summary>
    public static int NewMonitorInterface(Span<byte> buffer, ushort family, uint seq, int ifindex, string name, bool ownedBySocket)
    {
        int at = Begin(buffer, NewInterface, 0);
        at = PutU32(buffer, at, AttrIfindex, (uint)ifindex);
        at = PutString(buffer, at, AttrIfname, name);
        at = PutU32(buffer, at, AttrIftype, IftypeMonitor);
        if (ownedBySocket) at = Put(buffer, at, AttrSocketOwner, []);
        return End(buffer, at, family, seq);
    }

    /// <summary>NL80211_CMD_DEL_INTERFACE of the interface <paramref name="ifindex"/> (libpcap's del_mon_if).</summary>
    public static int DeleteInterface(Span<byte> buffer, ushort family, uint seq, int ifindex)
    {
        int at = Begin(buffer, DelInterface, 0);
        at = PutU32(buffer, at, AttrIfindex, (uint)ifindex);
        return End(buffer, at, family, seq);
    }

    static int Begin(Span<byte> buffer, byte command, byte version)
    {
        buffer[..(HeaderLength + GenlHeaderLength)].Clear();
        buffer[HeaderLength] = command;
        buffer[HeaderLength + 1] = version;
        return HeaderLength + GenlHeaderLength;
    }

    static int End(Span<byte> buffer, int length, ushort type, uint seq)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[6..], Request | Ack);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[8..], seq);
        return length;
    }

    static int PutU32(Span<byte> buffer, int at, ushort type, uint value)
    {
        Span<byte> data = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(data, value);
        return Put(buffer, at, type, data);
    }

    static int PutString(Span<byte> buffer, int at, ushort type, string value)
    {
        // NUL-terminated, as libnl's NLA_PUT_STRING.
        Span<byte> data = stackalloc byte[Encoding.UTF8.GetByteCount(value) + 1];
        data.Clear();
        Encoding.UTF8.GetBytes(value, data);
        return Put(buffer, at, type, data);
    }

    static int Put(Span<byte> buffer, int at, ushort type, ReadOnlySpan<byte> data)
    {
        int padded = Align(4 + data.Length);
        buffer.Slice(at, padded).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[at..], (ushort)(4 + data.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[(at + 2)..], type);
        data.CopyTo(buffer[(at + 4)..]);
        return at + padded;
    }

    static int Align(int length) => (length + 3) & ~3;

    /// <summary>
    /// Reads the messages of one receive that answer request <paramref name="seq"/>: true once its
    /// acknowledgement is among them, with the kernel's errno (0: success) in <paramref name="error"/>;
    /// a CTRL_ATTR_FAMILY_ID on the way lands in <paramref name="familyId"/>.
    /// </summary>
    public static bool ReadReply(ReadOnlySpan<byte> data, uint seq, ref ushort familyId, out int error)
    {
        error = 0;
        for (int at = 0; data.Length - at >= HeaderLength;)
        {
            var message = data[at..];
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(message);
            if (length < HeaderLength || length > message.Length) return false;
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(message[4..]);
            uint messageSeq = BinaryPrimitives.ReadUInt32LittleEndian(message[8..]);
            if (messageSeq == seq)
            {
                if (type == ErrorType)
                {
                    // struct nlmsgerr: a negative errno, then the request's header.
                    if (length < HeaderLength + 4)
                    {
                        error = EPROTO;
                        return true;
                    }
                    error = -BinaryPrimitives.ReadInt32LittleEndian(message[HeaderLength..]);
                    return true;
                }
                if (type == Controller) FindFamilyId(message[..length], ref familyId);
            }
            at += Align(length);
        }
        return false;
    }

    static void FindFamilyId(ReadOnlySpan<byte> message, ref ushort familyId)
    {
        for (int at = HeaderLength + GenlHeaderLength; message.Length - at >= 4;)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(message[at..]);
            if (length < 4 || length > message.Length - at) return;
            ushort type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(message[(at + 2)..]) & 0x3fff);
            if (type == ControllerFamilyId && length >= 6) familyId = BinaryPrimitives.ReadUInt16LittleEndian(message[(at + 4)..]);
            at += Align(length);
        }
    }

    /// <summary>
    /// libpcap tries the next monN name when libnl reports its catch-all error: an errno libnl has
    /// no name for (ENFILE, the name in use, among them).
    /// </summary>
    public static bool NameUnavailable(int errno) => LibnlError(errno) == LibnlFailure;

    const int LibnlFailure = 1;

    /// <summary>libnl's nl_syserr2nlerr: the errno as libnl's error code.</summary>
    static int LibnlError(int errno) => errno switch
    {
        EBADF or ENOTSOCK => 3,                 // NLE_BAD_SOCK
        EADDRINUSE or EEXIST => 6,              // NLE_EXIST
        EADDRNOTAVAIL => 19,                    // NLE_NOADDR
        ESRCH or ENOENT => 12,                  // NLE_OBJ_NOTFOUND
        EINTR => 2,                             // NLE_INTR
        EAGAIN => 4,                            // NLE_AGAIN
        ENOPROTOOPT or EFAULT or EINVAL => 7,   // NLE_INVAL
        EACCES => 27,                           // NLE_NOACCESS
        ENOBUFS or ENOMEM => 5,                 // NLE_NOMEM
        EAFNOSUPPORT => 11,                     // NLE_AF_NOSUPPORT
        EPROTONOSUPPORT => 26,                  // NLE_PROTO_MISMATCH
        EOPNOTSUPP => 10,                       // NLE_OPNOTSUPP
        EPERM => 28,                            // NLE_PERM
        EBUSY => 25,                            // NLE_BUSY
        ERANGE => 8,                            // NLE_RANGE
        ENODEV => 31,                           // NLE_NODEV
        _ => LibnlFailure,
    };

    /// <summary>nl_geterror's text for the errno as libnl reports it (what libpcap puts after its prefix).</summary>
    public static string ErrorText(int errno) => LibnlError(errno) switch
    {
        2 => "Interrupted system call",
        3 => "Bad socket",
        4 => "Try again",
        5 => "Out of memory",
        6 => "Object exists",
        7 => "Invalid input data or parameter",
        8 => "Input data out of range",
        10 => "Operation not supported",
        11 => "Address family not supported",
        12 => "Object not found",
        19 => "Invalid address for specified address family",
        25 => "Object busy",
        26 => "Protocol mismatch",
        27 => "No Access",
        28 => "Operation not permitted",
        31 => "No such device",
        _ => "Unspecific failure",
    };
}
