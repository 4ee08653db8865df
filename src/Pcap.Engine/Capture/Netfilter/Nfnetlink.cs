using System;
using System.Buffers.Binary;

namespace Pcap.Engine.Capture.Netfilter;

/// <summary>
/// nfnetlink messages as libpcap's pcap-netfilter-linux.c writes and reads them (linux/netlink.h,
/// linux/netfilter/nfnetlink*.h): a netlink header, a struct nfgenmsg, then attributes. Pure
/// logic over byte spans, so it is tested over fake memory.
/// </summary>
public static class Nfnetlink
{
    public const int NetlinkNetfilter = 12;          // NETLINK_NETFILTER
    public const int HeaderLength = 16;              // struct nlmsghdr
    public const int GenMsgLength = 4;               // struct nfgenmsg
    public const int MessageHeaderLength = HeaderLength + GenMsgLength; // libpcap's HDR_LENGTH
    public const ushort Request = 1, Ack = 4;        // NLM_F_REQUEST, NLM_F_ACK
    public const ushort Error = 2, Done = 3;         // NLMSG_ERROR, NLMSG_DONE
    public const ushort Multi = 2;                   // NLM_F_MULTI

    // Subsystems and their message types.
    public const int SubsysQueue = 3, SubsysUlog = 4;
    public const int UlogPacket = 0, UlogConfig = 1;
    public const int QueuePacket = 0, QueueVerdict = 1, QueueConfig = 2;

    // NFLOG configuration: attributes, commands, copy mode; packet attributes.
    public const ushort UlogCfgCmd = 1, UlogCfgMode = 2;
    public const byte UlogCmdBind = 1, UlogCmdPfBind = 3, UlogCmdPfUnbind = 4;
    public const byte UlogCopyPacket = 2;
    public const ushort UlogPayload = 9;

    // NFQUEUE configuration and packet attributes.
    public const ushort QueueCfgCmd = 1, QueueCfgParams = 2, QueueCfgMask = 4, QueueCfgFlags = 5;
    public const byte QueueCmdBind = 1, QueueCmdPfBind = 3, QueueCmdPfUnbind = 4;
    public const byte QueueCopyPacket = 2;
    public const uint QueueFlagFailOpen = 1;         // NFQA_CFG_F_FAIL_OPEN
    public const ushort QueuePacketHdr = 1, QueueVerdictHdr = 2, QueuePayload = 10;
    public const uint Accept = 1;                    // NF_ACCEPT

    public static int Align(int length) => (length + 3) & ~3;

    public static int Type(int subsys, int message) => (subsys << 8) | message;

    /// <summary>
    /// Writes one request: header, nfgenmsg and up to two attributes (type 0: none). Returns its length.
    /// </summary>
    public static int Write(Span<byte> buffer, int type, ushort flags, uint seq, byte family, ushort resId,
        ushort attrType, ReadOnlySpan<byte> attr, ushort attr2Type = 0, ReadOnlySpan<byte> attr2 = default)
    {
        int length = Align(MessageHeaderLength);
        buffer[..length].Clear();
        if (attrType != 0) length = PutAttribute(buffer, length, attrType, attr);
        if (attr2Type != 0) length = PutAttribute(buffer, length, attr2Type, attr2);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[4..], (ushort)type);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[8..], seq);
        buffer[HeaderLength] = family;
        buffer[HeaderLength + 1] = 0; // NFNETLINK_V0
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(HeaderLength + 2)..], resId);
        return length;
    }

    static int PutAttribute(Span<byte> buffer, int at, ushort type, ReadOnlySpan<byte> data)
    {
        int padded = Align(4 + data.Length);
        buffer.Slice(at, padded).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[at..], (ushort)(4 + data.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[(at + 2)..], type);
        data.CopyTo(buffer[(at + 4)..]);
        return at + padded;
    }

    public static uint Length(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt32LittleEndian(message);
    public static ushort MessageType(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16LittleEndian(message[4..]);
    public static ushort Flags(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16LittleEndian(message[6..]);
    public static uint Sequence(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt32LittleEndian(message[8..]);
    public static ushort ResourceId(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message[(HeaderLength + 2)..]);

    /// <summary>
    /// Walks the attributes of one nfnetlink message (libpcap's NFA_OK/NFA_NEXT): for each, its
    /// type (without the nested flag), offset of its data in the message, and data length.
    /// </summary>
    public static AttributeWalker Attributes(ReadOnlySpan<byte> message, int messageLength) => new(message, messageLength);

    public ref struct AttributeWalker(ReadOnlySpan<byte> message, int messageLength)
    {
        readonly ReadOnlySpan<byte> message = message;
        int at = Align(MessageHeaderLength);
        readonly int end = messageLength;

        public ushort Type { get; private set; }
        public int DataOffset { get; private set; }
        public int DataLength { get; private set; }

        public bool Next()
        {
            if (end - at < 4) return false;
            int len = BinaryPrimitives.ReadUInt16LittleEndian(message[at..]);
            if (len < 4 || len > end - at) return false;
            Type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(message[(at + 2)..]) & 0x7fff);
            DataOffset = at + 4;
            DataLength = len - 4;
            at += Align(len);
            return true;
        }
    }
}
