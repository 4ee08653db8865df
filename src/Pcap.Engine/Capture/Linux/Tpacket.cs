namespace Pcap.Engine.Capture.Linux;

/// <summary>
/// AF_PACKET ring constants and x86-64 struct offsets (linux/if_packet.h), as the facts doc
/// (section 4) lists them; Pcap.Engine.Tests pins them.
/// </summary>
static class Tpacket
{
    public const int V2 = 1, V3 = 2;
    public const int Alignment = 16;
    public static int Align(int x) => (x + Alignment - 1) & ~(Alignment - 1);

    public const uint StatusKernel = 0, StatusUser = 1, StatusVlanValid = 0x10, StatusVlanTpidValid = 0x40;

    // struct tpacket_block_desc: version, offset_to_priv, then tpacket_hdr_v1.
    public const int BlockStatus = 8, BlockNumPackets = 12, BlockOffsetToFirst = 16, BlockLength = 20;

    // struct tpacket3_hdr (48 bytes).
    public const int V3HeaderLength = 48;
    public const int V3NextOffset = 0, V3Sec = 4, V3Nsec = 8, V3Snaplen = 12, V3Len = 16, V3Status = 20, V3Mac = 24,
        V3VlanTci = 32, V3VlanTpid = 36;

    // struct tpacket2_hdr (32 bytes).
    public const int V2HeaderLength = 32;
    public const int V2Status = 0, V2Len = 4, V2Snaplen = 8, V2Mac = 12, V2Sec = 16, V2Nsec = 20, V2VlanTci = 24, V2VlanTpid = 26;

    // struct sockaddr_ll (20 bytes), placed by the kernel after the aligned frame header.
    public const int SockaddrLlLength = 20;
    public const int SllProtocol = 2, SllIfindex = 4, SllHatype = 8, SllPkttype = 10, SllHalen = 11, SllAddr = 12;

    public const byte PacketOutgoing = 4;
    public const int SllHeaderLength = 16, Sll2HeaderLength = 20, VlanTagLength = 4;
    public const int MaxLinkHeaderSize = 256; // libpcap's MAX_LINKHEADER_SIZE, used to size V2 frames
}
